"""``makemessages`` that also collects the rules core's sentences.

The rules core marks its sentences with ``words(...)`` and ``words_plural(...)``
(:mod:`clausier.rules.wording`) rather than Django's ``gettext``, to stay free of Django;
this command tells xgettext those two names too.
"""

from typing import ClassVar

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options: ClassVar[list[str]] = [
        *makemessages.Command.xgettext_options,
        "--keyword=words",
        "--keyword=words_plural:1,2",
    ]
