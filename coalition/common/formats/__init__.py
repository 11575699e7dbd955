"""The platform's own date formats, where Django's locale defaults abbreviate a month.

Django formats a bare date in English as "Dec. 31, 2026" (AP style): the month is shortened,
and shortened differently from French. Pages that print a date without a format of their own,
and values in histories, read "31 December 2026" instead, as the templates write dates
everywhere else (`settings.FORMAT_MODULE_PATH`). French keeps Django's, already in full.
"""
