"""Sections other apps add to a person's "My account" page and cards they add to the
secretariat's home: accounts sit below the apps that know what a person acts for, has pledged
or must review, so those register themselves (`common.sections`). Each section takes `user`.
"""

from coalition.common.sections import Sections

account_sections = Sections("the account page")
work_cards = Sections("the secretariat's home")
