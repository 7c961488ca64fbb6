"""Document metadata: language detection, fuzzy wording, place and years."""

from __future__ import annotations

import pytest

from pipeline.config import load_config
from pipeline.segment.metadata import detect_language, extract_metadata
from pipeline.text.phrases import Phrase, fold, phrase_score
from seglayout import LayoutBuilder

CFG = load_config()

TEXTS = {
    "en": "The municipality has adopted specific procedures and measures aimed at ensuring the protection of "
          "migrant children, and it provides emergency assistance to children regardless of their status.",
    "es": "El municipio ha adoptado procedimientos y medidas específicas para garantizar la protección de los "
          "niños migrantes, y presta asistencia de emergencia a los niños con independencia de su situación.",
    "fr": "La municipalité a adopté des procédures et des mesures spécifiques pour assurer la protection des "
          "enfants migrants, et elle fournit une aide d'urgence aux enfants quel que soit leur statut.",
    "pt": "O município adotou procedimentos e medidas específicas para garantir a proteção das crianças "
          "migrantes, e presta assistência de emergência às crianças independentemente da sua situação.",
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_detect_language(lang):
    assert detect_language(TEXTS[lang] * 2, CFG) == lang


def test_detect_language_undecided_on_too_little_text():
    assert detect_language("COVID-19 2021 MGI", CFG) is None
    assert detect_language("", CFG) is None


def test_fold_ignores_accents_case_and_punctuation():
    assert fold("MIGRANTS’ RIGHTS") == fold("Migrants' rights") == "migrants rights"
    assert fold("Áreas con potencial de desarrollo") == "areas con potencial de desarrollo"
    assert fold("WHOLE-OF-GOVERNMENT  approach") == "whole of government approach"


def test_phrase_score_containment_ellipsis_and_typos():
    assert phrase_score(fold("Migration governance: Examples of well-developed areas"),
                        Phrase.of("Examples of well-developed areas")) >= 0.84
    assert phrase_score(fold("Domaines présentant un potentiel à développer davantage"),
                        Phrase.of("Domaines ... à développer davantage")) >= 0.84
    assert phrase_score(fold("Domaines de la ville"), Phrase.of("Domaines ... à développer davantage")) == 0.0
    assert phrase_score(fold("Partnreships"), Phrase.of("Partnerships")) >= 0.84
    long_sentence = fold("Partnerships with civil society organizations helped the city deliver services")
    assert phrase_score(long_sentence, Phrase.of("Partnerships")) < 0.84


def national(title_lines, citation, lang_text):
    b = LayoutBuilder()
    for line in title_lines:
        b.heading(line, size=28)
    b.new_page().body(citation).body("ISBN: 978-92-9268-123-4 (PDF)").body("© OIM 2021")
    b.new_page().body(lang_text)
    return b.build()


def test_national_profile_metadata_spanish():
    layout = national(
        ["INDICADORES DE GOBERNANZA DE LA MIGRACIÓN", "PERFIL NACIONAL 2020", "República del Perú"],
        "Cita obligatoria: Organización Internacional para las Migraciones (OIM), 2021. Indicadores de Gobernanza "
        "de la Migración Perfil 2020 – República del Perú. OIM, Ginebra.",
        TEXTS["es"] * 3,
    )
    meta = extract_metadata(layout, CFG, TEXTS["es"] * 3)
    assert meta.language == "es"
    assert meta.title == "Indicadores de Gobernanza de la Migración Perfil 2020 – República del Perú"
    assert (meta.profile_level, meta.country, meta.locality) == ("national", "Peru", None)  # country in English
    assert (meta.profile_year, meta.publication_year, meta.isbn) == (2020, 2021, "978-92-9268-123-4")


def test_local_profile_metadata_french_without_citation_uses_cover():
    layout = national(
        ["INDICATEURS DE GOUVERNANCE DES MIGRATIONS", "PROFIL LOCAL 2021", "Ville de Montréal (Canada)"],
        "Les opinions exprimées dans la présente publication sont celles des auteurs.",
        TEXTS["fr"] * 3,
    )
    meta = extract_metadata(layout, CFG, TEXTS["fr"] * 3)
    assert meta.language == "fr"
    assert meta.title.startswith("INDICATEURS DE GOUVERNANCE DES MIGRATIONS PROFIL LOCAL 2021")
    assert (meta.profile_level, meta.locality, meta.country, meta.profile_year) == ("local", "Montréal", "Canada", 2021)


def test_metadata_of_a_non_profile_is_mostly_empty():
    layout = national(["Evaluation of the AAP Framework"], "Prepared for the Office of the Inspector General.", TEXTS["en"])
    meta = extract_metadata(layout, CFG, TEXTS["en"] * 2)
    assert meta.language == "en" and meta.profile_level is None and meta.locality is None and meta.country is None


def test_local_profile_title_with_a_colon_and_country_in_english():
    """"Profil local 2022 : Municipalité de Santiago du Chili (Chili)": the
    locality as printed after the colon, without its prefix; the country in
    English (configs/headings/<lang>.yaml ``country_names``)."""
    layout = national(
        ["INDICATEURS DE GOUVERNANCE DES MIGRATIONS", "PROFIL LOCAL 2022"],
        "Citation requise : Organisation internationale pour les migrations (OIM), 2023. Indicateurs de gouvernance "
        "des migrations – Profil local 2022 : Municipalité de Santiago du Chili (Chili). OIM, Genève.",
        TEXTS["fr"] * 3,
    )
    meta = extract_metadata(layout, CFG, TEXTS["fr"] * 3)
    assert (meta.profile_level, meta.locality, meta.country) == ("local", "Santiago du Chili", "Chile")
    assert meta.title == ("Indicateurs de gouvernance des migrations – Profil local 2022 : Municipalité de Santiago "
                          "du Chili (Chili)")


@pytest.mark.parametrize("printed, lang, english", [
    ("Chili", "fr", "Chile"), ("México", "es", "Mexico"), ("Moçambique", "pt", "Mozambique"),
    ("Chile", "es", "Chile"), ("Ghana", "en", "Ghana"), ("HAÏTI", "fr", "Haiti"),
])
def test_country_names_in_english(printed, lang, english):
    from pipeline.segment.metadata import english_country

    order = [lang] + [x for x in CFG.languages if x != lang]
    metas = [CFG.wording("headings", x).get("metadata") or {} for x in order]
    assert english_country(printed, metas) == english
