"""Texts for the export parity check: the model's own dev or training texts when they are
still on disk (the distribution it will see), else clinical-style sentences written for this."""

from pathlib import Path

from synthner.trainer.training.config import CONFIG_FILE, TrainConfig
from synthner.trainer.training.data import load_examples

MAX_TEXTS = 300

BUILT_IN = [
    "Patient started on metformin 500 mg twice daily and developed lactic acidosis.",
    "She denies nausea or vomiting since starting lisinopril.",
    "Amoxicillin was stopped after a diffuse maculopapular rash appeared on day 3.",
    "History of type 2 diabetes mellitus and chronic kidney disease stage 3.",
    "Warfarin-induced intracerebral haemorrhage was suspected on admission CT.",
    "Took ibuprofen for the knee pain, now has bad heartburn and black stools.",
    "No known drug allergies. Continue atorvastatin 40 mg nightly.",
    "Myalgia and elevated CK after simvastatin was increased to 80 mg.",
    "Carbamazepine was associated with Stevens-Johnson syndrome in this case report.",
    "The patient has hypertension, treated with amlodipine without side effects.",
    "Vancomycin trough was high; creatinine rose from 0.9 to 2.1 (acute kidney injury).",
    "Pt c/o dizziness and hypotension after first dose of tamsulosin.",
    "Cisplatin ototoxicity presented as bilateral high-frequency hearing loss.",
    "Started prednisone for the asthma exacerbation; watch for hyperglycaemia.",
    "Lithium toxicity with tremor and confusion; level 2.4 mmol/L.",
    "Discharged on apixaban for atrial fibrillation, no bleeding events reported.",
    "Methotrexate-related pneumonitis improved after drug withdrawal and steroids.",
    "Clozapine was discontinued because of agranulocytosis (ANC 300).",
    "been on sertraline 2 weeks, cant sleep and feel jittery all day",
    "Haloperidol given for agitation; developed acute dystonia of the neck.",
    "Renal biopsy showed interstitial nephritis attributed to omeprazole.",
    "Parkinson disease patient on levodopa with peak-dose dyskinesia.",
    "Gentamicin and furosemide co-administration may increase nephrotoxicity risk.",
    "Family history of breast cancer; mother had ovarian cancer at 52.",
]


def parity_texts(model_dir: Path) -> list[str]:
    """Up to MAX_TEXTS texts to compare the exported model with the original on."""
    config_path = Path(model_dir) / CONFIG_FILE
    if config_path.is_file():
        config = TrainConfig.load(Path(model_dir))
        sources = [(config.dev, config.dev_format)] + [(s.path, s.format) for s in config.train]
        for path, fmt in sources:
            if path is not None and Path(path).exists():
                examples = load_examples(Path(path), fmt, config.label_map)
                return [example.text for example in examples[:MAX_TEXTS]]
    return list(BUILT_IN)
