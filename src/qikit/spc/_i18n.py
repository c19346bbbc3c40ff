"""Labels of the SPC engine in Norwegian bokmål and English."""

from __future__ import annotations

from qikit.i18n import Catalog

CATALOG = Catalog(
    {
        # chart titles
        "chart_run": ("Seriediagram", "Run chart"),
        "chart_i": ("I-diagram (XmR)", "I chart (XmR)"),
        "chart_mr": ("MR-diagram (glidende variasjonsbredde)", "MR chart (moving range)"),
        "chart_xbar": ("X̄-diagram (gjennomsnitt)", "Xbar chart (subgroup means)"),
        "chart_s": ("S-diagram (standardavvik)", "S chart (standard deviations)"),
        "chart_t": ("T-diagram (tid mellom hendelser)", "T chart (time between events)"),
        "chart_p": ("P-diagram (andeler)", "P chart (proportions)"),
        "chart_pp": ("P′-diagram (Laney)", "P′ chart (Laney)"),
        "chart_c": ("C-diagram (antall)", "C chart (counts)"),
        "chart_u": ("U-diagram (rater)", "U chart (rates)"),
        "chart_up": ("U′-diagram (Laney)", "U′ chart (Laney)"),
        "chart_g": ("G-diagram (tilfeller mellom hendelser)", "G chart (opportunities between events)"),
        "chart_ip": ("I′-diagram (Taylor)", "I′ chart (Taylor)"),
        # legend and lines
        "data": ("Data", "Data"),
        "median": ("Median", "Median"),
        "mean": ("Gjennomsnitt", "Mean"),
        "centre": ("Senterlinje", "Centre line"),
        "limits": ("Kontrollgrenser", "Control limits"),
        "limits_95": ("2-sigma-grenser", "2-sigma limits"),
        "target": ("Mål", "Target"),
        "signal": ("Signal", "Signal"),
        "excluded": ("Utelatt", "Excluded"),
        "baseline": ("Baseline", "Baseline"),
        "part": ("Fase {k}", "Part {k}"),
        "runs_signal_line": ("Senterlinje (serie-signal)", "Centre line (runs signal)"),
        "value": ("Verdi", "Value"),
        "subgroup": ("Undergruppe", "Subgroup"),
        # captions
        "rules_anhoej": ("Anhøj-regler", "Anhøj rules"),
        "rules_ihi": ("IHI-regler (Perla m.fl. 2011)", "IHI rules (Perla et al. 2011)"),
        "rules_hcdg": ("Health Care Data Guide-regler 1–5", "Health Care Data Guide rules 1–5"),
        "rules_mdc": ("Making Data Count-regler", "Making Data Count rules"),
        "runs_stats": (
            "lengste serie {lr} (grense {lrmax}), krysninger {nc} (minst {ncmin})",
            "longest run {lr} (limit {lrmax}), crossings {nc} (at least {ncmin})",
        ),
        "runs_yes": ("ikke-tilfeldig variasjon", "non-random variation"),
        "runs_no": ("ingen serie-signal", "no runs signal"),
        "sigma_count": ("{k} punkt utenfor grensene", "{k} point(s) outside the limits"),
        "funnel": ("traktdiagram: ingen serieanalyse", "funnel plot: no runs analysis"),
        "ihi_runs": ("serier {r} (forventet {lo}–{hi})", "runs {r} (expected {lo}–{hi})"),
        # MDC icons
        "variation": ("Variasjon", "Variation"),
        "assurance": ("Måloppnåelse", "Assurance"),
        "common_cause": ("Vanlig variasjon", "Common cause"),
        "improvement_high": ("Forbedring (høy)", "Improvement (high)"),
        "improvement_low": ("Forbedring (lav)", "Improvement (low)"),
        "concern_high": ("Bekymring (høy)", "Concern (high)"),
        "concern_low": ("Bekymring (lav)", "Concern (low)"),
        "neutral_high": ("Spesiell årsak (høy)", "Special cause (high)"),
        "neutral_low": ("Spesiell årsak (lav)", "Special cause (low)"),
        "pass": ("Når målet", "Passes target"),
        "fail": ("Når ikke målet", "Fails target"),
        "hit_and_miss": ("Tilfeldig måloppnåelse", "Hit and miss"),
        "improvement_type": ("Forbedring", "Improvement"),
        "concern_type": ("Bekymring", "Concern"),
        "neutral_type": ("Spesiell årsak", "Special cause"),
    }
)
