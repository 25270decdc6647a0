from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMeddevTour(HttpCase):
    def test_demo_user_logs_in_and_opens_qms(self):
        """A demo user signs in through the login page and opens the QMS app."""
        self.start_tour("/web/login", "meddev_login_open_qms", login=None)
