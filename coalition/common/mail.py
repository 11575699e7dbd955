"""The e-mail the demo and a development machine print: each message as a person reads it."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class ReadableConsoleBackend(ConsoleBackend):
    """Django's console backend, printing each message as plain text — its addresses, subject and
    text body as written — instead of its MIME encoding, in which quoted-printable lines break a
    verification link in two and turn "é" into "=C3=A9". Other parts (an HTML version,
    attachments) are named, not printed."""

    def write_message(self, message):
        lines = [f"From: {message.from_email}", f"To: {', '.join(message.to)}"]
        if message.cc:
            lines.append(f"Cc: {', '.join(message.cc)}")
        if message.reply_to:
            lines.append(f"Reply-To: {', '.join(message.reply_to)}")
        lines += [f"Subject: {message.subject}", "", message.body.rstrip("\n"), ""]
        for _content, mimetype in getattr(message, "alternatives", ()):
            lines.append(f"[The same message is also sent as {mimetype}.]")
        for attachment in message.attachments:
            name = getattr(attachment, "filename", None) or (attachment[0] if isinstance(attachment, tuple) else None)
            lines.append(f"[Attached: {name or 'a file'}]")
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
