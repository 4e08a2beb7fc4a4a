"""SKKNI - Standar Kompetensi Kerja Nasional Indonesia (Indonesia, in Indonesian).

A Kepmenaker decree whose annex (Lampiran) holds the standard: per unit KODE UNIT, JUDUL UNIT,
DESKRIPSI UNIT, a ruled ELEMEN KOMPETENSI | KRITERIA UNJUK KERJA table, then BATASAN VARIABEL and
PANDUAN PENILAIAN as numbered lists. BAB III (Penutup) ends the standard. SKKNI has no
basic/common/core split; every unit is recorded as core.
"""
from functools import partial

from mrs_etl.registry import Profile
from mrs_etl.standard import StandardLayout, extract_standard

LAYOUT = StandardLayout(
    title_labels=("JUDUL UNIT", "JUDUL UNIT KOMPETENSI"),
    code_labels=("KODE UNIT", "KODE UNIT KOMPETENSI"),
    descriptor_labels=("DESKRIPSI UNIT", "DESKRIPSI UNIT KOMPETENSI"),
    # J.611000.001.01 (2016-2023), K.62AIN00.001.2 (2026): sector letter, field code, number, version
    code_pattern=r"[A-Z]\.?\d{2}[A-Z0-9]{2,6}\.\d{3}\.\d{1,2}",
    columns={
        "element": ("ELEMEN KOMPETENSI", "ELEMEN"),
        "criteria": ("KRITERIA UNJUK KERJA", "KRITERIA UNJUK KERJA (KUK)"),
    },
    range_headings=("BATASAN VARIABEL",),
    evidence_headings=("PANDUAN PENILAIAN",),
    default_category="core",
    end_patterns=(r"^BAB\s+III\b", r"^BAB\s+3\b", r"^PENUTUP\s*$"),
    noise_patterns=(),
    evidence_aspects={
        r"aspek\s+kritis": "critical_aspects",
        r"pengetahuan\s+dan\s+keterampilan|pengetahuan": "underpinning_knowledge",
        r"keterampilan": "underpinning_skills",
        r"sikap\s+kerja": "attitudes",
        r"konteks\s+penilaian": "context",
        r"persyaratan\s+kompetensi": "prerequisites",
    },
    title_patterns=(
        r"PENETAPAN\s+(STANDAR\s+KOMPETENSI\s+KERJA\s+NASIONAL\s+INDONESIA[\s\S]+?)\s*(?:\n\s*BAB\b|\n\s*[A-Z]\.\s)",
        r"^\s*(STANDAR\s+KOMPETENSI\s+KERJA\s+NASIONAL\s+INDONESIA[\s\S]+?)\s*(?:\n\s*BAB\b|\n\s*[A-Z]\.\s)",
    ),
    level_patterns=(r"\bjenjang\s+(\d)\b", r"\bKKNI\s+(?:level|jenjang)\s+(\w+)"),
    sector_patterns=(r"\bKATEGORI\s+([A-Z,\s]+?)\s+GOLONGAN\s+POKOK",),
    dehyphenate="id",
)

PROFILE = Profile(
    name="skkni",
    country="ID",
    language="id",
    signals=(
        (r"STANDAR\s+KOMPETENSI\s+KERJA\s+NASIONAL\s+INDONESIA", 3.0),
        (r"\bSKKNI\b", 2.0),
        (r"KODE\s+UNIT", 1.0),
        (r"JUDUL\s+UNIT", 1.0),
        (r"KRITERIA\s+UNJUK\s+KERJA", 1.0),
        (r"ELEMEN\s+KOMPETENSI", 1.0),
        (r"BATASAN\s+VARIABEL", 1.0),
        (r"PANDUAN\s+PENILAIAN", 1.0),
    ),
    threshold=6.0,
    extract=partial(extract_standard, layout=LAYOUT),
)
