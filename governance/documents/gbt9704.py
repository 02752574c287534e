"""Word documents laid out per GB/T 9704-2012 (党政机关公文格式): page geometry and the line grid,
fonts, the title in balanced lines, body paragraphs, headings, labelled lines, the signature, 版记 and
page numbers.

It knows nothing of meetings: a renderer takes a plain snapshot, writes it with `Writer` into a
`new_document` and returns `to_bytes`. Nothing here touches a database, a clock or Django, so every
document is testable anywhere.
"""

from __future__ import annotations

import copy
import datetime
import functools
import io
import math

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .text import balanced_lines, cn_number, display_width, paragraphs_of

WITHHELD_PLACEHOLDER = "（保密议题，内容略）"


class DocumentError(ValueError):
    """A snapshot that cannot become a document; the message is Chinese and shown as is."""


# --- Page geometry (GB/T 9704-2012 §5) -----------------------------------------------------------
# Everything is kept in twips (1/20 pt, 1/1440 inch), the unit Word stores, so the arithmetic below is
# exactly what lands in the file. 1 mm = 1440 / 25.4 twips.
#   A4 210 x 297 mm            -> 11906 x 16838 twips (Word's own A4 values)
#   margins 37 / 35 / 28 / 26  -> top 2098, bottom 1984, left 1587, right 1474
#   text block (版心)          -> 11906 - 1587 - 1474 = 8845 twips = 156.0 mm wide,
#                                 16838 - 2098 - 1984 = 12756 twips = 225.0 mm high
# 22 lines per page: 12756 / 22 = 579.8 -> 579 twips = 28.95 pt (rounded down so 22 lines always fit),
# the grid's line pitch and the exact line spacing of every paragraph: the lines are the grid's lines.
# 28 characters per line: 8845 / 28 = 315.9 twips = 15.795 pt a character. The grid stores this as
# w:charSpace = (pitch - 16 pt 三号 default size) in 1/4096 pt: (15.795 - 16) * 4096 = -841.1 -> -842
# (rounded down so 28 fit; the value of GB/T 9704 Word templates), which Word's page setup shows as
# 28 字/行 x 22 行. A 三号 character is 16 pt, 0.2 pt wider than its cell, and renderers disagree about
# that: Word squeezes it into the cell, LibreOffice (7.4) rounds it up to two cells (14 characters a
# line), shifts indents and mis-breaks justified lines. So paragraphs do not snap to the character grid
# (w:snapToGrid 0 in Normal); instead 三号 text is condensed by 0.3 pt (CONDENSE), to 15.7 pt a
# character: 28 of them (439.6 pt) fit the 442.25 pt line and 29 (455.3 pt) do not, in any renderer.
PAGE_WIDTH = 11906
PAGE_HEIGHT = 16838
MARGIN_TOP = round(37 * 1440 / 25.4)
MARGIN_BOTTOM = round(35 * 1440 / 25.4)
MARGIN_LEFT = round(28 * 1440 / 25.4)
MARGIN_RIGHT = round(26 * 1440 / 25.4)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE  # 579
# The page number's line: GB/T 9704 §7.5 puts it 7 mm below the text block. Word measures the footer
# distance from the page edge to the bottom of the footer; the footer line is 18 pt (6.35 mm) tall, so
# 35 - 7 - 6.35 = 21.6 mm -> 22 mm.
FOOTER_DISTANCE = round(22 * 1440 / 25.4)

SIZE_TITLE = 22  # 2号
SIZE_BODY = 16  # 3号
SIZE_4 = 14  # 4号: 版记, page numbers
SIZE_SMALL_4 = 12  # 小4号: table cells of the attendance sheet

CHAR_SPACE = math.floor((TEXT_WIDTH / 20 / CHARS_PER_LINE - SIZE_BODY) * 4096)  # -842

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING_1 = "黑体"
FONT_HEADING_2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
# Latin letters and digits in the body: the usual companion of the GB2312 fonts in GB/T 9704 templates
# (a GB2312 font's Latin glyphs are poor). Page numbers stay 宋体 as §7.5 asks.
FONT_LATIN = "Times New Roman"

CONDENSE = -6  # w:spacing of 三号 text, in twips (-0.3 pt): see the page geometry above
BODY_CHAR = SIZE_BODY * 20 + CONDENSE  # 314 twips: one "字" of body text, the unit of indents

GREY = RGBColor(0x80, 0x80, 0x80)
TITLE_CHARS = TEXT_WIDTH / 20 / SIZE_TITLE  # 20.1 二号 characters to a line

# Child order of w:pPr in the schema; an element out of order makes Word call the file corrupt.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip

_RPR_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
    "w:oMath",
)  # fmt: skip


def check_snapshot(snapshot: object, kind: type, name: str) -> None:
    """Refuse a snapshot of the wrong kind: DocumentError with a Chinese reason naming the document."""
    if not isinstance(snapshot, kind):
        raise DocumentError(f"无法生成{name}：数据类型不正确（{type(snapshot).__name__}）。")


# --- Low-level XML helpers -----------------------------------------------------------------------


def _set_pPr_child(pPr, element) -> None:
    """Put `element` into w:pPr at its schema position, replacing one of the same tag."""
    tag = element.tag
    for old in pPr.findall(tag):
        pPr.remove(old)
    name = next(n for n in _PPR_ORDER if qn(n) == tag)
    pPr.insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(name) + 1 :])


def el(tag: str, **attrs: object):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _set_fonts(rPr, font: str, *, latin: str | None = None) -> None:
    """Name `font` for Chinese (w:eastAsia) and `latin` (default: `font`) for Latin letters and digits.

    East Asian text only uses w:eastAsia: python-docx's `font.name` sets ascii/hAnsi alone, and Chinese
    would then fall back to the theme's East Asian font."""
    rFonts = rPr.get_or_add_rFonts()
    for attr in list(rFonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del rFonts.attrib[attr]  # a theme font would override the explicit names
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rFonts.set(qn(attr), latin or font)
    rFonts.set(qn("w:eastAsia"), font)
    # Ambiguous-width characters (“”, —, ·) take the East Asian font, as in a Chinese document.
    rFonts.set(qn("w:hint"), "eastAsia")


def _indent(paragraph, *, first_line: float = 0, left: float = 0, hanging: float = 0, right: float = 0,
            char: int = BODY_CHAR) -> None:  # fmt: skip
    """Indents in characters (字) of `char` twips. Only twips are written: Word's w:*Chars units take
    the paragraph's font size, which is neither the condensed body character nor 4号."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    for key, chars in (("firstLine", first_line), ("left", left), ("hanging", hanging), ("right", right)):
        if chars:
            ind.set(qn(f"w:{key}"), str(round(chars * char)))


def line_spacing(paragraph, line: int | None) -> None:
    """Exact line spacing of `line` twips, or single spacing when None (table cells)."""
    fmt = paragraph.paragraph_format
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = Twips(line)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def _borders(paragraph, **sides: tuple[str, int]) -> None:
    """Paragraph borders: side=(style, size in 1/8 pt)."""
    pBdr = el("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            style, size = sides[side]
            pBdr.append(el(f"w:{side}", val=style, sz=size, space=1, color="auto"))
    _set_pPr_child(paragraph._p.get_or_add_pPr(), pBdr)


# --- Document skeleton ---------------------------------------------------------------------------


@functools.cache
def _skeleton() -> bytes:
    """What every document starts from, built once per process: python-docx's template with the
    GB/T 9704 defaults, page and line grid, and the page-number footers."""
    document = docx.Document()
    _setup_defaults(document)
    _setup_section(document)
    _setup_page_numbers(document)
    return to_bytes(document)


def new_document(*, title: str, author: str, when: datetime.date | None):
    """A new GB/T 9704 document: a copy of the skeleton (`_skeleton`) with its own properties."""
    document = docx.Document(io.BytesIO(_skeleton()))
    props = document.core_properties
    # Replace python-docx's own metadata; nothing in it may come from a topic (R-CO-1).
    props.title = title[:255]
    props.author = author[:255]
    props.last_modified_by = author[:255]
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    if when is not None:
        stamp = datetime.datetime(when.year, when.month, when.day, tzinfo=datetime.UTC)
        props.created = stamp
        props.modified = stamp
    return document


def _setup_defaults(document) -> None:
    """Document defaults and Normal: 三号仿宋, Chinese language, exact 28.95 pt lines, no spacing."""
    styles = document.styles.element
    rPr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rPr_default, FONT_BODY, latin=FONT_LATIN)
    rPr_default.find(qn("w:sz")).set(qn("w:val"), str(SIZE_BODY * 2))
    rPr_default.find(qn("w:szCs")).set(qn("w:val"), str(SIZE_BODY * 2))
    lang = rPr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    pPr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = pPr_default.find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH))
    spacing.set(qn("w:lineRule"), "exact")

    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_BODY)
    _set_fonts(normal.element.get_or_add_rPr(), FONT_BODY, latin=FONT_LATIN)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Twips(LINE_PITCH)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.widow_control = True
    # Off the character grid, condensed instead: see the page geometry at the top.
    _set_pPr_child(normal.element.get_or_add_pPr(), el("w:snapToGrid", val=0))
    normal_rPr = normal.element.get_or_add_rPr()
    normal_rPr.insert_element_before(el("w:spacing", val=CONDENSE), *_RPR_AFTER_SPACING)


def _setup_section(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Twips(PAGE_WIDTH)
    section.page_height = Twips(PAGE_HEIGHT)
    section.top_margin = Twips(MARGIN_TOP)
    section.bottom_margin = Twips(MARGIN_BOTTOM)
    section.left_margin = Twips(MARGIN_LEFT)
    section.right_margin = Twips(MARGIN_RIGHT)
    section.header_distance = Twips(851)  # 15 mm; the header stays empty
    section.footer_distance = Twips(FOOTER_DISTANCE)
    section.gutter = Twips(0)
    sectPr = section._sectPr
    for old in sectPr.findall(qn("w:docGrid")):
        sectPr.remove(old)
    # docGrid is the last child of w:sectPr that python-docx writes; sectPrChange alone may follow.
    sectPr.insert_element_before(
        el("w:docGrid", type="linesAndChars", linePitch=LINE_PITCH, charSpace=CHAR_SPACE),
        "w:printerSettings",
        "w:sectPrChange",
    )


def _setup_page_numbers(document) -> None:
    """GB/T 9704 §7.5: 4号半角宋体 Arabic numerals with a dash (一字线) each side, "— 1 —"; odd pages
    on the right and even pages on the left, one character in from the text block's edge."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    one_char = SIZE_4 * 20
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        line_spacing(paragraph, 18 * 20)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            _indent(paragraph, right=1, char=one_char)
        else:
            _indent(paragraph, left=1, char=one_char)
        add_run(paragraph, "— ", font=FONT_PAGE_NUMBER, size=SIZE_4)
        _add_field(paragraph, "PAGE", placeholder="1", font=FONT_PAGE_NUMBER, size=SIZE_4)
        add_run(paragraph, " —", font=FONT_PAGE_NUMBER, size=SIZE_4)


def add_run(paragraph, text: str, *, font: str = FONT_BODY, size: float = SIZE_BODY,
             color: RGBColor | None = None):  # fmt: skip
    """A run of `text` (already clean, one line). 三号 text is condensed by CONDENSE (28 characters a
    line); other sizes are not. The run is a copy of the one built for its font, size and colour
    (`_styled_run`): a document has thousands of runs and a few kinds of them."""
    r = copy.deepcopy(_styled_run(font, size, color))
    paragraph._p.append(r)
    run = Run(r, paragraph)
    if text:
        if "\t" in text or "\n" in text or "\r" in text:
            run.text = text  # python-docx writes tabs and breaks as their own elements
        else:
            r.add_t(text)
    return run


@functools.cache
def _styled_run(font: str, size: float, color: RGBColor | None):
    """An empty run with the properties `add_run` gives text in `font`, `size` and `color`."""
    run = Paragraph(OxmlElement("w:p"), None).add_run()
    run.font.size = Pt(size)
    rPr = run._element.get_or_add_rPr()
    _set_fonts(rPr, font, latin=FONT_PAGE_NUMBER if font == FONT_PAGE_NUMBER else FONT_LATIN)
    if color is not None:
        run.font.color.rgb = color
    condense = CONDENSE if size == SIZE_BODY else 0
    rPr.insert_element_before(el("w:spacing", val=condense), *_RPR_AFTER_SPACING)
    return run._r


def _add_field(paragraph, instruction: str, *, placeholder: str, font: str, size: float) -> None:
    """A complex field (fldChar begin / instrText / separate / cached result / end)."""
    begin = add_run(paragraph, "", font=font, size=size)
    begin._element.append(el("w:fldChar", fldCharType="begin"))
    instr = add_run(paragraph, "", font=font, size=size)
    text = OxmlElement("w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    instr._element.append(text)
    separate = add_run(paragraph, "", font=font, size=size)
    separate._element.append(el("w:fldChar", fldCharType="separate"))
    add_run(paragraph, placeholder, font=font, size=size)
    end = add_run(paragraph, "", font=font, size=size)
    end._element.append(el("w:fldChar", fldCharType="end"))


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Building blocks -----------------------------------------------------------------------------


@functools.cache
def _styled_paragraph(align, keep, indent: tuple):
    paragraph = Paragraph(OxmlElement("w:p"), None)
    if align is not None:
        paragraph.alignment = align
    if keep is not None:
        paragraph.paragraph_format.keep_with_next = keep or None
    if indent:
        _indent(paragraph, **dict(indent))
    return paragraph._p


class Writer:
    """Appends GB/T 9704 paragraphs to a document."""

    def __init__(self, document) -> None:
        self.document = document
        self._end = None  # the body's w:sectPr, found once

    def paragraph(self, *, align=None, keep=None, **indent):
        """A body paragraph: a copy of the one built for its alignment, keep-with-next and indents
        (`_styled_paragraph`), added as document.add_paragraph() does (before the body's w:sectPr)."""
        p = copy.deepcopy(_styled_paragraph(align, keep, tuple(sorted(indent.items()))))
        if self._end is None:
            self._end = self.document.element.body.sectPr
        if self._end is not None:
            self._end.addprevious(p)
        else:
            self.document.element.body.append(p)
        return Paragraph(p, self.document._body)

    def title(self, text: str) -> None:
        """公文标题: 2号方正小标宋简体, centred; a long one in balanced lines (balanced_lines)."""
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, keep=True)
        run = None
        for line in balanced_lines(text, TITLE_CHARS):
            if run is not None:
                run.add_break()
            run = add_run(paragraph, line, font=FONT_TITLE, size=SIZE_TITLE)

    def centred(self, text: str, *, font: str = FONT_BODY, color: RGBColor | None = None) -> None:
        add_run(self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, keep=True), text, font=font, color=color)

    def blank(self, *, keep: bool = False) -> None:
        self.paragraph(keep=keep)

    def body(self, text: str, *, indent: bool = True, keep: bool = False) -> None:
        """A body paragraph, first line indented two characters (左空二字)."""
        add_run(self.paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY, keep=keep, **({"first_line": 2} if indent else {})),
                text)

    def lead(self, label: str, text: str, *, font: str = FONT_HEADING_1) -> None:
        """A heading and its text in one paragraph, "一、会议时间：…": the heading in `font` (黑体 for
        一、, 楷体 for （一）), the text in 仿宋; wrapped lines go back to the margin like body text."""
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=2)
        add_run(paragraph, f"{label}：", font=font)
        add_run(paragraph, text)

    def texts(self, text: object) -> None:
        for line in paragraphs_of(text):
            self.body(line)

    def heading_1(self, number: int, text: str) -> None:
        """一级标题 "一、": 3号黑体, indented two characters."""
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY, keep=True, first_line=2)
        add_run(paragraph, f"{cn_number(number)}、{text}", font=FONT_HEADING_1)

    def labelled(self, label: str, text: str, *, label_font: str = FONT_HEADING_1, indent: float = 2) -> None:
        """A labelled line such as 出席：… (GB/T 9704 §10.3): the label in `label_font`, the text in
        仿宋; a wrapped line lines up with the first character after the colon."""
        head = f"{label}："
        width = display_width(head)
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY, left=indent + width, hanging=width)
        add_run(paragraph, head, font=label_font)
        add_run(paragraph, text)

    def labelled_texts(self, label: str, text: object) -> None:
        """A label followed by a free text: its first paragraph on the label's line, the rest below."""
        lines = paragraphs_of(text)
        if not lines:
            return
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=2)
        add_run(paragraph, f"{label}：")
        add_run(paragraph, lines[0])
        for line in lines[1:]:
            self.body(line)

    def signature(self, unit: str, date: str) -> None:
        """发文机关署名 and 成文日期 (GB/T 9704 §7.3.5.2, unsealed document): the date four characters
        from the right, the unit centred above it; a unit longer than the date sits two characters from
        the right and the date is centred under it."""
        unit_width, date_width = display_width(unit), display_width(date)
        if unit_width <= date_width:
            unit_right, date_right = 4 + (date_width - unit_width) / 2, 4.0
        else:
            unit_right, date_right = 2.0, 2 + (unit_width - date_width) / 2
        for text, right in ((unit, unit_right), (date, date_right)):
            if text:
                paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT)
                paragraph.paragraph_format.keep_with_next = text == unit and bool(date) or None
                _indent(paragraph, right=right)
                add_run(paragraph, text)

    def colophon(self, lines: list[tuple[str, str]], *, printed_by: str = "", printed_on: str = "") -> None:
        """版记 (GB/T 9704 §7.4.1, §10.3) after the body: "分送：…" / "报备：…" lines in 4号仿宋, one
        character in from each side, wrapped lines aligned after the colon, then the 印发 line (unit
        left, date right); a heavy rule above and below the block, a thin one above the 印发 line."""
        if not lines and not (printed_by or printed_on):
            return
        one_char = SIZE_4 * 20
        self.rule(heavy=True, first=True)
        for label, text in lines:
            paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            paragraph.paragraph_format.keep_with_next = True
            width = display_width(f"{label}：")
            _indent(paragraph, left=1 + width, hanging=width, right=1, char=one_char)
            add_run(paragraph, f"{label}：", size=SIZE_4)
            add_run(paragraph, text, size=SIZE_4)
        if printed_by or printed_on:
            if lines:
                self.rule(heavy=False)
            paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
            paragraph.paragraph_format.keep_with_next = True
            _indent(paragraph, left=1, right=1, char=one_char)
            tabs = el("w:tabs")
            tabs.append(el("w:tab", val="right", pos=TEXT_WIDTH - one_char))
            _set_pPr_child(paragraph._p.get_or_add_pPr(), tabs)
            add_run(paragraph, printed_by, size=SIZE_4)
            if printed_on:
                add_run(paragraph, f"\t{printed_on}印发", size=SIZE_4)
        self.rule(heavy=True, last=True)

    def rule(self, *, heavy: bool, first: bool = False, last: bool = False) -> None:
        """A 版记 分隔线 as wide as the text block: an empty 1 pt paragraph with a top border (text
        paragraphs' borders would stop at their indents). 粗线 0.35 mm ≈ 1 pt, 细线 0.25 mm ≈ 0.75 pt.
        The first is half a line below the body: a blank line would often push the block onto a page
        of its own."""
        paragraph = self.paragraph()
        paragraph.paragraph_format.keep_with_next = not last
        if first:
            paragraph.paragraph_format.space_before = Pt(SIZE_4)
        line_spacing(paragraph, 20)
        _borders(paragraph, top=("single", 8 if heavy else 6))  # in 1/8 pt
