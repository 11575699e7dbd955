"""What the reports app does when other parts of the platform signal (`common.signals`)."""


def tasks_reaped(sender, **kwargs) -> int:
    from coalition.reports.services import report_builds_reap

    return report_builds_reap()
