"""Quality models: a rule set per dataset, a report per run with its check results."""
from quality.models.reports import CheckResult, QualityReport
from quality.models.rules import QualityRuleSet

__all__ = ["CheckResult", "QualityReport", "QualityRuleSet"]
