"""Exit codes, as Terraform uses them with --detailed-exitcode."""

from enum import IntEnum


class Exit(IntEnum):
    OK = 0  # success; with --detailed-exitcode: success and no changes
    ERROR = 1  # bad declarations, unreachable database, refused plan, failed apply
    CHANGES = 2  # only with --detailed-exitcode: success, and there are changes
