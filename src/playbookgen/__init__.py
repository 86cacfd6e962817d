"""playbookgen: customer-service policy as code.

Turns a repository of structured YAML (case categories, SLAs, roles, goodwill
authority, RACI, recovery scripts, training, forms, QA, KPIs and policy values)
into a checked, versioned playbook site and printable PDFs.
"""

from __future__ import annotations

__version__ = "0.1.0"
