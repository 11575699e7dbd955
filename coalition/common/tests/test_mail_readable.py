"""The demo's e-mails read in the terminal (issue 15): the console backend prints the text as
written — a long verification link whole, accents as letters — not quoted-printable."""

import io

from django.core.mail import EmailMultiAlternatives

from coalition.common.mail import ReadableConsoleBackend

LINK = "http://127.0.0.1:8000/account/verify/" + "Zm9vYmFy" * 12 + "/"


def test_a_message_prints_as_written():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Vérifiez votre adresse", body=f"Bonjour Awa,\n\nOuvrez ce lien pour vérifier votre adresse :\n{LINK}\n",
        from_email="coalition@example.org", to=["awa@example.sn"], reply_to=["secretariat@example.org"],
    )
    message.attach_alternative(f"<p><a href='{LINK}'>Vérifier</a></p>", "text/html")
    message.attach("guide.pdf", b"%PDF-1.4", "application/pdf")

    sent = ReadableConsoleBackend(stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert sent == 1
    assert f"\n{LINK}\n" in printed
    assert "Subject: Vérifiez votre adresse" in printed
    assert "pour vérifier votre adresse" in printed
    assert "=C3=A9" not in printed and "=\n" not in printed
    assert "To: awa@example.sn" in printed and "Reply-To: secretariat@example.org" in printed
    assert "[The same message is also sent as text/html.]" in printed
    assert "[Attached: guide.pdf]" in printed


def test_it_is_the_default_outside_production():
    from coalition import settings as project

    assert not project.COALITION_PRODUCTION
    assert project._EMAIL_BACKEND == "coalition.common.mail.ReadableConsoleBackend"
