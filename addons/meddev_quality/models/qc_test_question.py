from odoo import fields, models

from .meddev_sampling_plan import DEFECT_CLASSES


class QcTestQuestion(models.Model):
    _inherit = "qc.test.question"

    meddev_defect_class = fields.Selection(
        DEFECT_CLASSES,
        string="Defect Class",
        default="major",
        help="A unit failing this question is a defective of this class "
        "(GB/T 2828.1).",
    )
