from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bangfu.demo"
    verbose_name = "演示数据"

    def ready(self):
        from bangfu.accounts.login_page import offer_accounts

        from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ROLE_HINTS

        # The login page lists the demo accounts in demo mode; accounts itself knows nothing of the demo.
        offer_accounts(accounts=[(u, ROLE_HINTS.get(u, "")) for u, *_ in DEMO_ACCOUNTS], password=DEMO_PASSWORD)
