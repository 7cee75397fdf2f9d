"""The AI layer: an OpenAI-compatible provider behind consent, pseudonymisation, a budget and review.

* ``run``: the features (transferable skills, recommendation explanation, synthèse draft, session
  themes), streamed or not, with the local engine as the fallback;
* ``consent``: the beneficiary's consent per bilan;
* ``review``: the consultant accepts, edits or rejects each proposal;
* ``admin``: the organisation's provider override (Enterprise), budget and usage;
* ``pseudonymise``, ``provider``, ``prompts``, ``local``, ``schemas``: the parts.

See docs/ai.md.
"""
