from lxml import etree

from odoo.tests import TransactionCase, tagged

# Odoo 18's list renderer gives a date column 80 px and a datetime column
# 145 px (web/static/src/views/list/column_width_hook.js), enough for
# 11/28/2026 but not for the Chinese formats 2026年11月28日 and
# 2026年11月28日 10时15分03秒: the meddev lists set a wider `width`.
MIN_WIDTHS = {"date": 115, "datetime": 210}


@tagged("post_install", "-at_install")
class TestListDateWidths(TransactionCase):
    """Every date and datetime column of a meddev list (embedded lists of
    forms included) is wide enough for the whole date in Chinese."""

    def _meddev_views(self):
        data = self.env["ir.model.data"].search(
            [("module", "=like", "meddev\\_%"), ("model", "=", "ir.ui.view")]
        )
        # the primary views of the QMS models, checked with their extensions
        return (
            self.env["ir.ui.view"]
            .browse(data.mapped("res_id"))
            .filtered(
                lambda view: view.type in ("list", "form")
                and view.mode == "primary"
                and view.model.startswith("meddev.")
            )
        )

    def _narrow_columns(self, node, model, where):
        """(view, field, width) of the date columns too narrow under ``node``."""
        found = []
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "list":
                found += self._check_list(child, model, where)
                continue
            sub_model = model
            if child.tag == "field" and child.get("name") in model._fields:
                field = model._fields[child.get("name")]
                if field.relational:
                    sub_model = self.env[field.comodel_name]
            found += self._narrow_columns(child, sub_model, where)
        return found

    def _check_list(self, list_node, model, where):
        found = []
        for column in list_node.iterchildren("field"):
            field = model._fields.get(column.get("name"))
            if field is None or field.type not in MIN_WIDTHS:
                continue
            if column.get("column_invisible") in ("1", "True") or column.get(
                "widget"
            ) not in (None, "date", "datetime"):
                continue
            width = int((column.get("width") or "0").replace("px", "") or 0)
            if width < MIN_WIDTHS[field.type]:
                found.append((where, f"{model._name}.{field.name}", width))
        found += self._narrow_columns(list_node, model, where)
        return found

    def test_date_columns_wide_enough(self):
        views = self._meddev_views()
        self.assertTrue(views)
        narrow = []
        for view in views:
            Model = self.env[view.model]
            arch = Model.get_view(view.id, view.type)["arch"]
            root = etree.fromstring(arch)
            where = view.xml_id or view.name
            if root.tag == "list":
                narrow += self._check_list(root, Model, where)
            else:
                narrow += self._narrow_columns(root, Model, where)
        self.assertFalse(sorted(set(narrow)), "date columns too narrow")
