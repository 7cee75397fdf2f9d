"""The bilan's documents as PDF: synthèse, action plan, attestation (certificat de réalisation),
attendance sheets, the convention and its signature certificate. Templates are in
``services/pdf/templates``; see docs/documents.md."""
