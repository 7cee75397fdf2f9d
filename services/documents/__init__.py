"""The bilan's documents as PDF: synthèse, action plan, attestation (certificat de réalisation),
attendance sheets. Templates are in ``services/pdf/templates``; see docs/documents.md."""
