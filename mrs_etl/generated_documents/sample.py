"""The sample documents shipped in raw/: invented content laid out like the real families.

A TESDA-like Training Regulation (Letter, Helvetica ~ Arial, labelled unit headers with colons,
ruled ELEMENT | PERFORMANCE CRITERIA tables that continue across pages, RANGE OF VARIABLES and
EVIDENCE GUIDE tables, running footer), an SKKNI-like standard in Indonesian (F4 paper, KODE /
JUDUL / DESKRIPSI UNIT labels, ruled ELEMEN KOMPETENSI | KRITERIA UNJUK KERJA table, BATASAN
VARIABEL and PANDUAN PENILAIAN as numbered lists) and a short QA policy. Rendered with reportlab in
invariant mode, so the same code gives byte-identical files.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

F4 = (612, 936)
SANS, SANS_BOLD, SERIF, SERIF_BOLD = "Helvetica", "Helvetica-Bold", "Times-Roman", "Times-Bold"


def _styles(font: str, bold: str, size: float) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.25)
    return {
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=bold),
        "title": ParagraphStyle("title", parent=body, fontName=bold, fontSize=12, leading=16, alignment=TA_CENTER,
                                spaceAfter=8),
        "category": ParagraphStyle("category", parent=body, fontName=bold, fontSize=14, leading=18,
                                   alignment=TA_CENTER, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=10,
                                  spaceAfter=6),
    }


def _ruled(rows: list[list], widths: list[float], header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows, splitByRow=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _labels(pairs: list[tuple[str, str]], s: dict, label_width: float, text_width: float) -> Table:
    """A borderless label block: LABEL | : | value (the colon in its own column, as printed)."""
    table = Table([[Paragraph(k, s["bold"]), Paragraph(":", s["bold"]), Paragraph(v, s["body"])] for k, v in pairs],
                  colWidths=[label_width, 12, text_width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


def _numbered(items: list[str], prefix: str, s: dict) -> Paragraph:
    return Paragraph("<br/>".join(f"{prefix}.{n} {text}" for n, text in enumerate(items, 1)), s["body"])


# --- TESDA-like Training Regulation ----------------------------------------------------------

TR_TITLE = "TILE SETTING NC II"
TR_UNITS = [
    ("basic", "500311105", "Participate in workplace communication",
     "This unit covers the knowledge, skills and attitudes required to gather, interpret and convey information "
     "in response to workplace requirements.",
     [("Obtain and convey workplace information", [
         "Specific and relevant information is accessed from appropriate sources",
         "Effective questioning, active listening and speaking skills are used to gather and convey information",
         "Appropriate medium is used to transfer information and ideas"]),
      ("Participate in workplace meetings and discussions", [
          "Team meetings are attended on time",
          "Own opinions are clearly expressed and those of others are listened to without interruption",
          "Meeting inputs are consistent with the meeting purpose and established protocols"]),
      ("Handle relevant work-related documents", [
          "Information in workplace documents is interpreted correctly",
          "Forms are completed accurately and legibly in accordance with workplace procedures"])]),
    ("basic", "500311108", "Practice occupational health and safety procedures",
     "This unit covers the outcomes required to comply with regulatory and organizational requirements for "
     "occupational health and safety.",
     [("Identify hazards and risks", [
         "Safety regulations and workplace safety and hazard control practices are clarified and explained",
         "Hazards and risks are identified and clarified based on organization procedures"]),
      ("Evaluate hazards and risks", [
          "Terms of maximum tolerable limits are identified based on threshold limit values",
          "Effects of hazards are determined"]),
      ("Control hazards and risks", [
          "Occupational health and safety procedures for controlling hazards and risks are consistently followed",
          "Personal protective equipment is correctly used in accordance with organization procedures",
          "Appropriate assistance is provided in the event of a workplace emergency"])]),
    ("common", "CON311201", "Prepare construction materials and tools",
     "This unit covers the knowledge, skills and attitudes on identifying, requesting and receiving "
     "construction materials and tools based on the required performance standards.",
     [("Identify materials", [
         "Materials are listed as per job requirements",
         "Quantity and description of materials conform with the job requirements",
         "Tools and accessories are identified according to job requirements"]),
      ("Request appropriate materials and tools", [
          "Materials and tools needed are requested according to the list prepared",
          "Request is done as per company standard operating procedures"]),
      ("Receive and inspect materials", [
          "Materials and tools issued are inspected as per quantity and specification",
          "Tools, accessories and materials are checked for damages according to manufacturers' instructions"])]),
    ("core", "CON712401", "Prepare tile setting surfaces",
     "This unit covers the knowledge, skills and attitudes required in preparing floor and wall surfaces to "
     "receive ceramic and porcelain tiles.",
     [("Inspect surfaces to be tiled", [
         "Personal protective equipment is selected and used according to job requirements",
         "Surfaces are checked for level, plumb and squareness using appropriate measuring tools",
         "Cracks, hollow spots and contaminants on the substrate are identified and reported to the immediate "
         "superior before any work starts",
         "Moisture content of the substrate is checked against the tile adhesive manufacturer's specifications"]),
      ("Prepare substrate", [
          "Loose materials, dust and grease are removed from the substrate using approved cleaning methods",
          "Uneven surfaces are levelled with screed or patching compound according to specifications",
          "Waterproofing membrane is applied in wet areas following the manufacturer's instructions and allowed "
          "to cure for the specified time",
          "Expansion and movement joints are located and marked according to the approved plan"]),
      ("Set out the tiling layout", [
          "Reference lines are established using chalk line, laser level or spirit level",
          "Tile layout is planned to minimise cut tiles at visible edges and openings",
          "Starting point is marked according to the approved layout and job requirements"])]),
    ("core", "CON712402", "Install floor and wall tiles",
     "This unit covers the knowledge, skills and attitudes required in installing ceramic and porcelain tiles "
     "on prepared floor and wall surfaces using adhesive or mortar bed methods.",
     [("Mix tile adhesive and grout", [
         "Adhesive type is selected according to tile type, substrate and location of work",
         "Adhesive is mixed to the consistency specified by the manufacturer using clean tools",
         "Mixed quantity is limited to what can be used within the working time of the product"]),
      ("Lay tiles", [
          "Adhesive is spread with a notched trowel of the size specified for the tile format",
          "Tiles are bedded with full contact and aligned to reference lines with spacers",
          "Tile joints are kept uniform, straight and of the width stated in the specifications",
          "Tiles are cut with tile cutter or wet saw to fit edges, corners and openings without chipping",
          "Level and alignment are checked at regular intervals and corrected while the adhesive is workable"]),
      ("Grout and finish tiled surfaces", [
          "Spacers and excess adhesive are removed before grouting",
          "Grout is applied diagonally across joints and joints are fully filled",
          "Surface is cleaned of grout haze within the time stated by the manufacturer",
          "Movement joints are filled with flexible sealant of matching colour"]),
      ("Install tiles on walls", [
          "Wall tiling starts from a levelled batten fixed at the first full course above the floor line",
          "Tiles are set course by course with joints aligned vertically and horizontally",
          "Cut tiles are placed at internal corners and at the least visible edges of the wall",
          "Trims and edge profiles are installed at external corners according to the specifications",
          "Openings for fixtures, pipes and switches are cut accurately and finished without cracks"]),
      ("Clean up and report", [
          "Tools and equipment are cleaned and stored according to workplace procedures",
          "Waste materials are disposed of according to environmental requirements",
          "Completed work is reported to the immediate superior"])]),
]
TR_RANGE = [("PPE", ["Safety shoes", "Knee pads", "Gloves", "Safety goggles", "Dust mask"]),
            ("Measuring tools", ["Spirit level", "Laser level", "Steel tape", "Chalk line", "Try square"]),
            ("Tiles", ["Ceramic floor tiles", "Ceramic wall tiles", "Porcelain tiles"])]
TR_EVIDENCE = [
    ("Critical aspects of competency", "Assessment requires evidence that the candidate:",
     ["Demonstrated safe use of tools and personal protective equipment",
      "Prepared and set out surfaces to the required level and alignment"]),
    ("Underpinning knowledge", None, ["Types of tiles and adhesives", "Basic mensuration", "Safety procedures"]),
    ("Underpinning skills", None, ["Reading layout plans", "Using levelling tools", "Cutting tiles"]),
    ("Methods of assessment", "Competency must be assessed through:",
     ["Direct observation", "Oral questioning", "Demonstration"]),
    ("Context for assessment", None, ["Competency may be assessed in the workplace or in a simulated workplace"]),
]


def _tr_footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.5)
    canvas.line(90, 56, 540, 56)
    canvas.setFont(SANS, 8)
    canvas.drawString(90, 44, f"TR {TR_TITLE}")
    canvas.setFont(SERIF, 10)
    canvas.drawRightString(540, 58, str(doc.page))
    canvas.restoreState()


def _tr_story() -> list:
    s = _styles(SANS, SANS_BOLD, 11)
    story = [Paragraph(f"TRAINING REGULATIONS FOR {TR_TITLE}", s["title"]),
             Paragraph(f"SECTION 1 {TR_TITLE} QUALIFICATION", s["heading"]),
             Paragraph(f"The {TR_TITLE} Qualification consists of competencies that a person must achieve to "
                       "prepare surfaces and install ceramic and porcelain tiles on floors and walls.", s["body"]),
             Spacer(1, 8),
             Paragraph("The Units of Competency comprising this Qualification include the following:", s["body"]),
             Spacer(1, 6)]
    for category in ("basic", "common", "core"):
        rows = [[Paragraph("CODE NO.", s["bold"]), Paragraph(f"{category.upper()} COMPETENCIES", s["bold"])],
                ["", Paragraph("Units of Competency", s["bold"])]]
        rows += [[Paragraph(code, s["body"]), Paragraph(title, s["body"])]
                 for cat, code, title, _, _ in TR_UNITS if cat == category]
        table = Table(rows, colWidths=[100, 340])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        story += [table, Spacer(1, 8)]
    story.append(Paragraph("A person who has achieved this Qualification is competent to be: Tile Setter", s["body"]))
    last_category = None
    for category, code, title, descriptor, elements in TR_UNITS:
        story.append(PageBreak())
        if category != last_category:
            story.append(Paragraph(f"{category.upper()} COMPETENCIES", s["category"]))
            last_category = category
        story += [_labels([("UNIT OF COMPETENCY", title.upper()), ("UNIT CODE", code),
                           ("UNIT DESCRIPTOR", descriptor)], s, 150, 300), Spacer(1, 8)]
        rows = [[Paragraph("ELEMENT", s["bold"]), Paragraph("PERFORMANCE CRITERIA<br/><font size=8>"
                "<i>Italicized terms are elaborated in the Range of Variables</i></font>", s["bold"])]]
        for n, (element, criteria) in enumerate(elements, 1):
            rows.append([Paragraph(f"{n}. {element}", s["body"]), _numbered(criteria, str(n), s)])
        story.append(_ruled(rows, [175, 290]))
        if code == TR_UNITS[-1][1]:
            story += [PageBreak(), Paragraph("RANGE OF VARIABLES", s["heading"])]
            rows = [[Paragraph("VARIABLE", s["bold"]), Paragraph("RANGE", s["bold"])]]
            rows += [[Paragraph(f"{n}. {var}", s["body"]),
                      Paragraph("May include but are not limited to:<br/>" + "<br/>".join(
                          f"{n}.{i} {item}" for i, item in enumerate(items, 1)), s["body"])]
                     for n, (var, items) in enumerate(TR_RANGE, 1)]
            story.append(_ruled(rows, [175, 290]))
            story += [Spacer(1, 10), KeepTogether([Paragraph("EVIDENCE GUIDE", s["heading"]), _ruled([
                [Paragraph(f"{n}. {aspect}", s["body"]),
                 Paragraph(((lead + "<br/>") if lead else "") + "<br/>".join(
                     f"{n}.{i} {item}" for i, item in enumerate(items, 1)), s["body"])]
                for n, (aspect, lead, items) in enumerate(TR_EVIDENCE, 1)], [125, 340], header_rows=0)])]
    return story


# --- SKKNI-like standard (Indonesian) ---------------------------------------------------------

SKKNI_UNITS = [
    ("F.43PKR00.001.1", "Menyiapkan Permukaan Pemasangan Keramik",
     "Unit kompetensi ini berhubungan dengan pengetahuan, keterampilan, dan sikap kerja yang dibutuhkan dalam "
     "menyiapkan permukaan lantai dan dinding sebelum pemasangan keramik.",
     [("Memeriksa permukaan kerja", ["Kerataan permukaan diperiksa menggunakan waterpas.",
                                     "Retak dan bagian berongga pada permukaan diidentifikasi.",
                                     "Hasil pemeriksaan dilaporkan kepada atasan."]),
      ("Membersihkan dan meratakan permukaan", ["Kotoran dan debu dibersihkan dari permukaan kerja.",
                                               "Permukaan yang tidak rata diratakan dengan acian sesuai spesifikasi."])]),
    ("F.43PKR00.002.1", "Memasang Keramik Lantai",
     "Unit kompetensi ini berhubungan dengan pengetahuan, keterampilan, dan sikap kerja yang dibutuhkan dalam "
     "memasang keramik lantai dengan perekat semen.",
     [("Menyiapkan bahan perekat", ["Jenis perekat dipilih sesuai jenis keramik dan lokasi pekerjaan.",
                                    "Perekat dicampur sesuai petunjuk pabrik."]),
      ("Memasang keramik", ["Benang acuan dipasang sesuai gambar kerja.",
                            "Keramik dipasang dengan nat yang seragam dan lurus.",
                            "Kerataan hasil pemasangan diperiksa secara berkala."]),
      ("Mengisi nat", ["Nat diisi dengan bahan pengisi sampai penuh.",
                       "Permukaan keramik dibersihkan dari sisa bahan pengisi nat."])]),
]
SKKNI_VARIABLES = [("Konteks variabel", ["Unit kompetensi ini berlaku untuk pekerjaan pemasangan keramik pada "
                                         "bangunan gedung."]),
                   ("Peralatan dan perlengkapan", ["Waterpas", "Sendok semen", "Pemotong keramik"]),
                   ("Peraturan yang diperlukan", ["Peraturan keselamatan dan kesehatan kerja"])]
SKKNI_GUIDE = [("Konteks penilaian", ["Tes tertulis", "Wawancara", "Praktik di tempat kerja"]),
               ("Pengetahuan yang dibutuhkan", ["Jenis keramik dan perekat", "Cara membaca gambar kerja"]),
               ("Sikap kerja yang diperlukan", ["Teliti", "Cermat"]),
               ("Aspek kritis", ["Ketepatan kerataan dan kelurusan nat"])]


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(SERIF, 11)
    canvas.drawCentredString(306, 40, str(doc.page))
    canvas.restoreState()


def _skkni_story() -> list:
    s = _styles(SERIF, SERIF_BOLD, 11)
    story = [Paragraph("LAMPIRAN<br/>KEPUTUSAN MENTERI KETENAGAKERJAAN REPUBLIK INDONESIA<br/>NOMOR 999 TAHUN 2026",
                       s["body"]), Spacer(1, 12),
             Paragraph("STANDAR KOMPETENSI KERJA NASIONAL INDONESIA KATEGORI KONSTRUKSI GOLONGAN POKOK "
                       "PENYELESAIAN KONSTRUKSI BANGUNAN BIDANG PEMASANGAN KERAMIK", s["title"]),
             Paragraph("B. Daftar Unit Kompetensi", s["heading"])]
    rows = [[Paragraph(h, s["bold"]) for h in ("NO", "KODE UNIT", "JUDUL UNIT KOMPETENSI")]]
    rows += [[Paragraph(f"{n}.", s["body"]), Paragraph(code, s["body"]), Paragraph(title, s["body"])]
             for n, (code, title, _, _) in enumerate(SKKNI_UNITS, 1)]
    story += [_ruled(rows, [36, 126, 290]), Paragraph("C. Uraian Unit Kompetensi", s["heading"])]
    for code, title, description, elements in SKKNI_UNITS:
        story += [PageBreak(), _labels([("KODE UNIT", code), ("JUDUL UNIT", title), ("DESKRIPSI UNIT", description)],
                                       s, 110, 340), Spacer(1, 8)]
        rows = [[Paragraph("ELEMEN KOMPETENSI", s["bold"]), Paragraph("KRITERIA UNJUK KERJA", s["bold"])]]
        rows += [[Paragraph(f"{n}. {element}", s["body"]), _numbered(criteria, str(n), s)]
                 for n, (element, criteria) in enumerate(elements, 1)]
        story += [_ruled(rows, [175, 280]), Paragraph("BATASAN VARIABEL", s["heading"])]
        for n, (heading, items) in enumerate(SKKNI_VARIABLES, 1):
            story += [Paragraph(f"{n}. {heading}", s["body"]), _numbered(items, str(n), s), Spacer(1, 4)]
        story.append(Paragraph("PANDUAN PENILAIAN", s["heading"]))
        for n, (heading, items) in enumerate(SKKNI_GUIDE, 1):
            story += [Paragraph(f"{n}. {heading}", s["body"]), _numbered(items, str(n), s), Spacer(1, 4)]
    return story


# --- QA policy --------------------------------------------------------------------------------

QA_SECTIONS = [
    ("Assessment", ["Assessments are conducted by accredited assessors against the endorsed competency standard.",
                    "Evidence is valid, sufficient, current and authentic, and is kept for at least five years.",
                    "Reasonable adjustment is made for candidates with disability without changing the standard."]),
    ("Certification", ["A National Certificate is issued only when every unit of the qualification is achieved.",
                       "A Certificate of Competency is issued for each unit achieved when the qualification is not "
                       "completed.",
                       "Certificates carry a unique number that employers can verify in the public register."]),
    ("Recognition of Prior Learning", ["Candidates may apply for recognition of prior learning for any unit.",
                                       "Prior learning is assessed against the same performance criteria as training "
                                       "outcomes."]),
    ("Complaints and Appeals", ["A candidate may appeal an assessment decision within fourteen days.",
                                "Appeals are heard by a panel that did not take part in the original assessment.",
                                "Every complaint is recorded, acknowledged within five working days and resolved "
                                "within thirty days."]),
]


def _qa_story() -> list:
    s = _styles(SANS, SANS_BOLD, 10.5)
    story = [Paragraph("SAMPLE SKILLS AUTHORITY", s["title"]),
             Paragraph("QUALITY ASSURANCE POLICY ON COMPETENCY ASSESSMENT AND CERTIFICATION", s["title"]),
             Paragraph("This policy states how the Authority assures the quality of assessment and certification "
                       "under the national qualifications framework.", s["body"])]
    for n, (heading, clauses) in enumerate(QA_SECTIONS, 1):
        story += [Paragraph(f"{n}. {heading.upper()}", s["heading"])]
        story += [Paragraph(f"{n}.{i} {text}", s["body"]) for i, text in enumerate(clauses, 1)]
        story.append(Spacer(1, 4))
    return story


SAMPLES = {
    "tesda-tr-tile-setting-nc-ii-sample.pdf": (LETTER, _tr_story, _tr_footer,
                                               f"Training Regulations - {TR_TITLE} (sample)"),
    "skkni-pemasangan-keramik-sample.pdf": (F4, _skkni_story, _page_number,
                                            "SKKNI Pemasangan Keramik (sample)"),
    "qa-policy-assessment-certification-sample.pdf": (LETTER, _qa_story, _page_number,
                                                      "QA policy on assessment and certification (sample)"),
}


def render(name: str, path: str | Path, encrypt=None) -> Path:
    """Render one sample document (`encrypt`: a reportlab StandardEncryption, for hostile-input tests)."""
    size, story, on_page, title = SAMPLES[name]
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=80,
                            title=title, author="mrs-etl sample generator", invariant=1, encrypt=encrypt)
    doc.build(story(), onFirstPage=on_page, onLaterPages=on_page)
    return Path(path)


def write_sample(out: str | Path) -> list[Path]:
    """Render every sample document into `out`; the same code always gives the same bytes."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [render(name, out / name) for name in SAMPLES]
