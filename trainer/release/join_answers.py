"""Step 3: turn answer sheets (`prompt_id<TAB>text` lines) into the replay backend's JSONL.
A line with several texts (`prompt_id<TAB>text<TAB>text...`) answers a list prompt: the texts
become a numbered list, one per line, as the prompt asked.

    python trainer/release/join_answers.py PROMPTS.jsonl ANSWERS.tsv [ANSWERS.tsv ...] -o completions.jsonl

PROMPTS.jsonl is what `synthner generate CONFIG --dump-prompts` wrote. Every answer must belong
to a dumped prompt; prompts without an answer are counted (the replay run will name them).
"""

import argparse
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prompts", type=Path)
    parser.add_argument("answers", type=Path, nargs="+")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()

    prompts = {}
    with open(args.prompts, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            prompts[record["prompt_id"]] = record["prompt"]
    answers: dict[str, str] = {}
    for path in args.answers:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            prompt_id, *texts = line.split("\t")
            if not texts or prompt_id not in prompts:
                raise SystemExit(f"{path}:{number}: not `prompt_id<TAB>text` for a dumped prompt")
            if prompt_id in answers:
                raise SystemExit(f"{path}:{number}: prompt {prompt_id} answered twice")
            answers[prompt_id] = texts[0] if len(texts) == 1 else "\n".join(
                f"{number}. {text}" for number, text in enumerate(texts, start=1)
            )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        for prompt_id, prompt in prompts.items():
            if prompt_id in answers:
                record = {"prompt_id": prompt_id, "prompt": prompt, "completion": answers[prompt_id]}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(answers)} of {len(prompts)} prompts answered -> {args.output}")


if __name__ == "__main__":
    main()
