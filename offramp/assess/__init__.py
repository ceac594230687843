"""Assessment: which paths are critical, at risk and replaceable, how long a move takes, and the numbers."""

from offramp.assess.assess import (
    HOURS_THRESHOLD,
    AssessedPath,
    Assessment,
    Numbers,
    WaiverStatus,
    assess,
    check_policy,
)
from offramp.assess.policy import INIT_TEMPLATE, Policy, PolicyError, load_policy, parse_policy, write_init

__all__ = [
    "HOURS_THRESHOLD",
    "INIT_TEMPLATE",
    "AssessedPath",
    "Assessment",
    "Numbers",
    "Policy",
    "PolicyError",
    "WaiverStatus",
    "assess",
    "check_policy",
    "load_policy",
    "parse_policy",
    "write_init",
]
