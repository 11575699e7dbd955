"""Helpers for the tests of accounts and of the apps that e-mail people."""


def link_in(message) -> str:
    """The path of the first link in an e-mail's body."""
    for word in message.body.split():
        if word.startswith("http"):
            return "/" + word.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError("no link in the e-mail")
