"""Plot texts of :mod:`qikit.system` in bokmål and English."""

from __future__ import annotations

from qikit.i18n import Catalog

LABELS = Catalog(
    {
        # Swiss cheese
        "cheese_title": ("Sveitserostmodellen", "The Swiss cheese model"),
        "hazard": ("Fare", "Hazard"),
        "harm": ("Skade", "Harm"),
        "layer": ("Lag {i}", "Layer {i}"),
        "p_harm": ("p(skade) = {p}", "p(harm) = {p}"),
        "one_in": ("1 av {n}", "1 in {n}"),
        "stopped": ("stoppet", "stopped"),
        "passed": ("nådde pasienten", "reached the patient"),
        "hole": ("hull {h}", "hole {h}"),
        "sim_note": (
            "De første {shown} av {trials} simulerte farene; {harms} ga skade",
            "The first {shown} of {trials} simulated hazards; {harms} caused harm",
        ),
        "sim_extra": (
            ", pluss {n} senere som ga skade (uthevet)",
            ", plus {n} later ones that caused harm (highlighted)",
        ),
        "no_sim": ("(ingen simulering: velg antall forsøk)", "(no simulation: choose a number of trials)"),
        # flow
        "flow_title": ("Pasienter i forløpet", "Patients in the pathway"),
        "in_system": ("Antall i forløpet", "Number in the pathway"),
        "time": ("Tid ({unit})", "Time ({unit})"),
        "warmup": ("oppvarming", "warm-up"),
        "L_line": ("L = {L:.2f} (gjennomsnitt)", "L = {L:.2f} (average)"),
        "lw_line": ("λW = {lam:.3f} · {W:.1f} = {LW:.2f}", "λW = {lam:.3f} · {W:.1f} = {LW:.2f}"),
        "util_title": ("Utnyttelse per steg", "Utilisation by step"),
        "utilisation": ("Utnyttelse", "Utilisation"),
        "theory": ("teoretisk λs/c", "theoretical λs/c"),
        "simulated": ("simulert", "simulated"),
        "bottleneck": ("flaskehals", "bottleneck"),
        "max_tp": ("maks {tp:.3g}/{unit}", "max {tp:.3g}/{unit}"),
        # Pareto
        "pareto_title": ("Paretodiagram", "Pareto chart"),
        "count": ("Antall", "Count"),
        "cum_share": ("Kumulativ andel", "Cumulative share"),
        "vital_few": ("de få viktige ({n} av {k}: {share:.0%})", "the vital few ({n} of {k}: {share:.0%})"),
        "threshold": ("terskel {t:.0%}", "threshold {t:.0%}"),
    }
)
