"""The shipped GB/T 2828.1-2012 (ISO 2859-1:1999) tables against the standard.

The expected values are written here from the standard's printed tables (Table
1, and Tables 2-A and 2-B for AQL 0.65 to 15 as MIL-STD-105E / ANSI Z1.4, whose
single sampling plans are the same), not computed from the shipped data: one
row per code letter, the rejection number Re of each cell (Ac = Re - 1), or
an arrow ("v": the first plan below, "^": the first plan above).
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

LETTERS = "ABCDEFGHJKLMNPQRS"
SAMPLE_SIZES = dict(
    zip(
        LETTERS,
        [2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000, 3150],
        strict=True,
    )
)
REDUCED_SAMPLE_SIZES = dict(
    zip(
        LETTERS[:16],
        [2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800],
        strict=True,
    )
)
# Table 1: lot size band → S-1 S-2 S-3 S-4 I II III
TABLE_1 = [
    ((2, 8), "AAAAAAB"),
    ((9, 15), "AAAAABC"),
    ((16, 25), "AABBBCD"),
    ((26, 50), "ABBCCDE"),
    ((51, 90), "BBCCCEF"),
    ((91, 150), "BBCDDFG"),
    ((151, 280), "BCDEEGH"),
    ((281, 500), "BCDEFHJ"),
    ((501, 1200), "CCEFGJK"),
    ((1201, 3200), "CDEGHKL"),
    ((3201, 10000), "CDFGJLM"),
    ((10001, 35000), "CDFHKMN"),
    ((35001, 150000), "DEGJLNP"),
    ((150001, 500000), "DEGJMPQ"),
    ((500001, 10000000), "DEHKNQR"),
]
LEVELS = ["s1", "s2", "s3", "s4", "i", "ii", "iii"]
COLUMNS = ["0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15"]
# Table 2-A (normal), AQL 0.65 … 15
NORMAL = {
    "A": "v v v v v 1 ^ v",
    "B": "v v v v 1 ^ v 2",
    "C": "v v v 1 ^ v 2 3",
    "D": "v v 1 ^ v 2 3 4",
    "E": "v 1 ^ v 2 3 4 6",
    "F": "1 ^ v 2 3 4 6 8",
    "G": "^ v 2 3 4 6 8 11",
    "H": "v 2 3 4 6 8 11 15",
    "J": "2 3 4 6 8 11 15 22",
    "K": "3 4 6 8 11 15 22 ^",
    "L": "4 6 8 11 15 22 ^ ^",
    "M": "6 8 11 15 22 ^ ^ ^",
    "N": "8 11 15 22 ^ ^ ^ ^",
    "P": "11 15 22 ^ ^ ^ ^ ^",
    "Q": "15 22 ^ ^ ^ ^ ^ ^",
}
# Table 2-B (tightened), AQL 0.65 … 15
TIGHTENED = {
    "A": "v v v v v v v v",
    "B": "v v v v v 1 v v",
    "C": "v v v v 1 v v 2",
    "D": "v v v 1 v v 2 3",
    "E": "v v 1 v v 2 3 4",
    "F": "v 1 v v 2 3 4 6",
    "G": "1 v v 2 3 4 6 9",
    "H": "v v 2 3 4 6 9 13",
    "J": "v 2 3 4 6 9 13 19",
    "K": "2 3 4 6 9 13 19 ^",
    "L": "3 4 6 9 13 19 ^ ^",
}


def expected_plan(grid, letter, column, sizes):
    """Follow the arrows of ``grid`` (the standard's) from ``letter``."""
    index = LETTERS.index(letter)
    while True:
        cell = grid[LETTERS[index]].split()[column]
        if cell == "v":
            index += 1
        elif cell == "^":
            index -= 1
        else:
            re = int(cell)
            return (sizes[LETTERS[index]], re - 1, re)


@tagged("post_install", "-at_install")
class TestAqlTables(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Letter = cls.env["meddev.aql.code.letter"]
        cls.Master = cls.env["meddev.aql.master"]

    def resolve(self, severity, letter, aql):
        plan = self.Master._meddev_resolve(severity, letter, aql)
        return (plan["sample_size"], plan["ac"], plan["re"])

    def test_table_1_every_band_and_level(self):
        for (low, high), letters in TABLE_1:
            for level, letter in zip(LEVELS, letters, strict=True):
                for size in (low, high, (low + high) // 2):
                    self.assertEqual(
                        self.Letter._meddev_letter(level, size),
                        letter,
                        f"lot {size} at level {level}",
                    )

    def test_table_1_boundaries(self):
        self.assertEqual(self.Letter._meddev_letter("ii", 1200), "J")
        self.assertEqual(self.Letter._meddev_letter("ii", 1201), "K")
        self.assertEqual(self.Letter._meddev_letter("ii", 500000), "P")
        self.assertEqual(self.Letter._meddev_letter("ii", 500001), "Q")
        self.assertEqual(self.Letter._meddev_letter("iii", 500001), "R")
        with self.assertRaises(UserError):
            self.Letter._meddev_letter("ii", 1)

    def test_sample_sizes(self):
        for severity in ("normal", "tightened"):
            for letter in LETTERS[:16]:
                self.assertEqual(
                    self.Master._meddev_sample_size(severity, letter),
                    SAMPLE_SIZES[letter],
                )
        self.assertEqual(self.Master._meddev_sample_size("tightened", "S"), 3150)
        for letter, size in REDUCED_SAMPLE_SIZES.items():
            self.assertEqual(self.Master._meddev_sample_size("reduced", letter), size)

    def test_table_2a_normal(self):
        for letter in NORMAL:
            for column, aql in enumerate(COLUMNS):
                if (letter, aql) == ("A", "10"):
                    # the printed arrow points up from the first row, above
                    # which there is no plan: see test_spread_of_aqls
                    continue
                self.assertEqual(
                    self.resolve("normal", letter, aql),
                    expected_plan(NORMAL, letter, column, SAMPLE_SIZES),
                    f"normal {letter} {aql}",
                )

    def test_table_2b_tightened(self):
        for letter in TIGHTENED:
            for column, aql in enumerate(COLUMNS):
                self.assertEqual(
                    self.resolve("tightened", letter, aql),
                    expected_plan(TIGHTENED, letter, column, SAMPLE_SIZES),
                    f"tightened {letter} {aql}",
                )

    def test_spread_of_aqls(self):
        cases = {
            # (severity, letter, AQL): (n, Ac, Re)
            ("normal", "J", "0.15"): (80, 0, 1),
            ("normal", "J", "0.25"): (50, 0, 1),
            ("normal", "J", "0.40"): (125, 1, 2),
            ("normal", "K", "0.065"): (200, 0, 1),
            ("normal", "M", "0.040"): (315, 0, 1),
            ("normal", "Q", "0.010"): (1250, 0, 1),
            ("normal", "R", "0.010"): (1250, 0, 1),
            ("normal", "A", "25"): (2, 1, 2),
            # no plan above the first row: the first plan below, as in 2-B
            ("normal", "A", "10"): (5, 1, 2),
            ("normal", "A", "1000"): (2, 30, 31),
            ("normal", "B", "1000"): (3, 44, 45),
            ("tightened", "J", "0.15"): (125, 0, 1),
            ("tightened", "J", "0.40"): (200, 1, 2),
            ("tightened", "R", "0.010"): (2000, 0, 1),
            ("tightened", "R", "0.025"): (3150, 1, 2),
            ("tightened", "A", "1000"): (2, 27, 28),
            ("tightened", "B", "1000"): (3, 41, 42),
            ("reduced", "J", "0.15"): (32, 0, 1),
            ("reduced", "J", "0.65"): (32, 1, 2),
        }
        for (severity, letter, aql), expected in cases.items():
            self.assertEqual(
                self.resolve(severity, letter, aql), expected, (severity, letter, aql)
            )

    def test_every_arrow_leads_to_a_plan(self):
        for severity in ("normal", "tightened", "reduced"):
            letters = LETTERS if severity == "tightened" else LETTERS[:16]
            for letter in letters:
                for aql, _label in self.Master._fields["aql"].selection:
                    if (letter, aql) in self.Master._meddev_table(severity):
                        self.resolve(severity, letter, aql)

    def test_tables_are_read_only(self):
        user = self.env["res.users"].create(
            {
                "name": "QA manager",
                "login": "qa_tables",
                "groups_id": [
                    (6, 0, [self.env.ref("meddev_base.group_meddev_qa_manager").id])
                ],
            }
        )
        cell = self.Master.search([], limit=1).with_user(user)
        with self.assertRaises(AccessError):
            cell.ac = 5
        with self.assertRaises(AccessError):
            self.Letter.search([], limit=1).with_user(user).letter_ii = "R"
