"""Plot and message texts of :mod:`qikit.variation` in bokmål and English."""

from __future__ import annotations

from qikit.i18n import Catalog

LABELS = Catalog(
    {
        # red beads
        "red_beads_title": ("Rødperleforsøket: np-diagram", "The red bead experiment: np chart"),
        "red_beads_basis_data": ("grenser fra dataene (p̄ = {p:.3f})", "limits from the data (p̄ = {p:.3f})"),
        "red_beads_basis_bowl": ("teoretiske grenser (p = {p:.3f})", "theoretical limits (p = {p:.3f})"),
        "red_per_paddle": ("Røde perler per spade (n = {n})", "Red beads per paddle (n = {n})"),
        "day": ("Dag", "Day"),
        "worker": ("Arbeider", "Worker"),
        "cl": ("SL", "CL"),
        "ucl": ("ØKG", "UCL"),
        "lcl": ("NKG", "LCL"),
        "ranking_title": (
            "Rangering av arbeiderne: alle innenfor grensene",
            "Ranking the workers: all within the limits",
        ),
        "ranking_outside": (
            "Rangering av arbeiderne: {k} utenfor grensene",
            "Ranking the workers: {k} outside the limits",
        ),
        "red_total": ("Røde perler totalt ({days} dager)", "Red beads in total ({days} days)"),
        "rank_label": ("nr. {rank}", "#{rank}"),
        "reshuffle_title": (
            "Samme system, nye trekninger: rangeringen stokkes om",
            "Same system, new draws: the ranking reshuffles",
        ),
        "run": ("Forsøk", "Run"),
        "rank": ("Plass (1 = færrest røde)", "Rank (1 = fewest red)"),
        # funnel
        "funnel_title": ("Traktforsøket, regel {rule}", "The funnel experiment, rule {rule}"),
        "rule_1": ("La trakten stå over målet", "Leave the funnel over the target"),
        "rule_2": (
            "Flytt trakten fra forrige posisjon, motsatt av siste avvik",
            "Move the funnel from its last position by minus the last error",
        ),
        "rule_3": (
            "Sett trakten motsatt av siste avvik, målt fra målet",
            "Set the funnel at minus the last error, measured from the target",
        ),
        "rule_4": ("Sett trakten over der siste kule landet", "Set the funnel over the last drop"),
        "drops": ("Kuler", "Drops"),
        "drops_legend": ("kuler (mørk = tidlig)", "drops (dark = early)"),
        "funnel_path": ("traktens posisjon", "funnel position"),
        "target": ("mål", "target"),
        "spread_title": ("spredning rundt målet", "spread around the target"),
        "running_sd": ("løpende SD per akse", "running SD per axis"),
        "theory_sd": ("teori", "theory"),
        "sd_axis": ("Standardavvik", "Standard deviation"),
        "drop_no": ("Kule nr.", "Drop number"),
        # causes
        "value": ("Verdi", "Value"),
        "period": ("Periode", "Period"),
        "true_mean": ("sant prosessnivå", "true process level"),
        "guess_title": (
            "Vanlig variasjon, eller en spesiell årsak? Gjett før du ser fasiten.",
            "Common-cause variation, or a special cause? Guess before you reveal the truth.",
        ),
        "planted": ("plantet spesiell årsak", "planted special cause"),
        "mean_line": ("gjennomsnitt", "mean"),
        "proportion": ("Andel", "Proportion"),
        "kind_stable": ("Stabil prosess", "Stable process"),
        "kind_shift": ("Nivåskift", "Shift"),
        "kind_trend": ("Trend", "Trend"),
        "kind_outlier": ("Enkeltstående avvik", "Outlier"),
        "kind_seasonal": ("Sesongvariasjon", "Seasonality"),
        "kind_overdispersion": ("Overspredning", "Overdispersion"),
        "truth_stable": (
            "Ingen spesiell årsak: bare vanlig variasjon (gjennomsnitt {mean:g}, SD {sd:g}).",
            "No special cause: common-cause variation only (mean {mean:g}, SD {sd:g}).",
        ),
        "truth_shift": (
            "Nivåskift på {shift:+g} fra periode {start} (fra {before:g} til {after:g}).",
            "A shift of {shift:+g} from period {start} (from {before:g} to {after:g}).",
        ),
        "truth_trend": (
            "Trend på {slope:+g} per periode etter periode {start}.",
            "A trend of {slope:+g} per period after period {start}.",
        ),
        "truth_outlier": (
            "Enkeltstående avvik på {size:+g} i periode {at}.",
            "An outlier of {size:+g} in period {at}.",
        ),
        "truth_seasonal": (
            "Sesongmønster: syklus på {period} perioder, amplitude {amplitude:g}, topp i periode {peak}.",
            "Seasonal pattern: cycle of {period} periods, amplitude {amplitude:g}, peak in period {peak}.",
        ),
        "truth_overdispersion": (
            "Overspredning: sann andel varierer rundt {p:g} (ρ = {rho:g}); variansen er {phi:.1f} ganger binomisk.",
            "Overdispersion: the true proportion varies around {p:g} (ρ = {rho:g}); the variance is "
            "{phi:.1f} times binomial.",
        ),
        # tampering
        "tampering_title": ("Fikling: justering etter hvert punkt", "Tampering: adjusting after every point"),
        "untampered": ("uten justering (SD {sd:.2f})", "left alone (SD {sd:.2f})"),
        "tampered": ("med justering, regel {rule} (SD {sd:.2f})", "adjusted, rule {rule} (SD {sd:.2f})"),
    }
)
