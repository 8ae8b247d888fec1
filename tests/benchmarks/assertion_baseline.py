"""Template sentences for a baseline assertion model, until synthetic assertion data exists
(`synthner generate` with the `assertion` recipe). Written for this baseline only; the
hand-written evaluation set (assertion_eval.jsonl) was written separately and never trains."""

import random

from synthner.trainer.corpus import Example, Span

TEMPLATES = {
    "present": [
        "The patient developed {x} after the second dose.",
        "Today she complains of {x}.",
        "Exam is notable for {x}.",
        "He was admitted with {x} on Tuesday.",
        "Labs are consistent with {x}.",
        "Now presenting with worsening {x}.",
        "i have had {x} all week since the new pills",
        "Current problem: {x}, being treated.",
    ],
    "negated": [
        "The patient denies {x}.",
        "No {x} was noted.",
        "Negative for {x}.",
        "There is no evidence of {x}.",
        "She has not had any {x}.",
        "Without {x} on the current regimen.",
        "no {x} at all so far, thankfully",
        "{x} was ruled out on imaging.",
    ],
    "hypothetical": [
        "Risk of {x} was explained to the patient.",
        "Monitor for {x} during treatment.",
        "Call the clinic if {x} occurs.",
        "This drug may cause {x}.",
        "Rule out {x} at follow-up.",
        "Consider {x} if symptoms persist.",
        "can this med give you {x}? just wondering",
        "Prophylaxis started to prevent {x}.",
    ],
    "historical": [
        "History of {x}, resolved.",
        "She had {x} several years ago.",
        "Previous episode of {x} in 2009.",
        "Past medical history includes {x}.",
        "Prior {x}, no recurrence.",
        "He recovered from {x} in his thirties.",
        "had {x} once a long time ago, fine now",
        "Remote {x}, treated at the time.",
    ],
    "family": [
        "Her mother had {x}.",
        "Family history of {x}.",
        "His father was treated for {x}.",
        "A sister has {x}.",
        "FHx: brother with {x}.",
        "Grandmother died of {x}.",
        "my dad also got {x} on that drug",
        "Both of her aunts had {x}.",
    ],
}
EFFECTS = [
    ("vomiting", "ADE"),
    ("urticaria", "ADE"),
    ("constipation", "ADE"),
    ("drowsiness", "ADE"),
    ("hyponatraemia", "ADE"),
    ("liver injury", "ADE"),
    ("blurred vision", "ADE"),
    ("fatigue", "ADE"),
    ("migraine", "DISEASE"),
    ("hypertension", "DISEASE"),
    ("epilepsy", "DISEASE"),
    ("gout", "DISEASE"),
    ("psoriasis", "DISEASE"),
    ("anaemia", "DISEASE"),
    ("melanoma", "DISEASE"),
    ("bronchitis", "DISEASE"),
]


def baseline_examples(per_template: int = 6, seed: int = 7) -> list[Example]:
    """`per_template` examples per template, each with one ADE or DISEASE span and its class."""
    rng = random.Random(seed)
    examples = []
    for status, templates in TEMPLATES.items():
        for t, template in enumerate(templates):
            for k in range(per_template):
                name, label = rng.choice(EFFECTS)
                text = template.format(x=name)
                text = text[0].upper() + text[1:]
                start = text.lower().index(name)
                span = Span(start, start + len(name), label)
                examples.append(Example(f"{status}-{t}-{k}", text, [span], [], {"assertion": status}))
    return examples
