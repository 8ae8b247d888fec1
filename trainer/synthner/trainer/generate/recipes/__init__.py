"""The generation recipes, one class each with the same small interface (`base.Recipe`)."""

from typing import Annotated

from pydantic import Field
from synthner.trainer.generate.recipes.annotate import AnnotateConfig, GenerateThenAnnotate
from synthner.trainer.generate.recipes.assertion import AssertionConfig, AssertionExamples
from synthner.trainer.generate.recipes.base import Outcome, Recipe, Rejection, Sampling
from synthner.trainer.generate.recipes.relation import RelationConfig, RelationExamples
from synthner.trainer.generate.recipes.seeded import SeededSentences, SeededSentencesConfig
from synthner.trainer.generate.recipes.tagged import TaggedGeneration
from synthner.trainer.generate.recipes.tagged_items import TaggedConfig

RecipeConfig = Annotated[
    SeededSentencesConfig | TaggedConfig | AnnotateConfig | RelationConfig | AssertionConfig,
    Field(discriminator="kind"),
]


def make_recipe(config: RecipeConfig) -> Recipe:
    """The recipe a config describes (seeds and few-shot files are read here)."""
    if isinstance(config, SeededSentencesConfig):
        return SeededSentences(config)
    if isinstance(config, TaggedConfig):
        return TaggedGeneration(config)
    if isinstance(config, AnnotateConfig):
        return GenerateThenAnnotate(config)
    if isinstance(config, AssertionConfig):
        return AssertionExamples(config)
    return RelationExamples(config)


__all__ = ["Outcome", "Recipe", "RecipeConfig", "Rejection", "Sampling", "make_recipe"]
