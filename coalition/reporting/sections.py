"""Sections other apps add to a progress report's page, such as sharing it as a good practice
(`common.sections`). Each section takes `report` and `user`."""

from coalition.common.sections import Sections

report_sections = Sections("a progress report's page")
