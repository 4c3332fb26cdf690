"""The bundled all-MiniLM-L6-v2 sentence encoder, run on torch and tokenizers alone.

sentence-transformers reaches the same weights through transformers, whose import costs
about 5 s of CPU and 250 MB in every process that embeds, which is every rebuild that meets
a new quote. The model itself is small: a 6-layer BERT encoder, mean pooling over the tokens
and L2 normalisation, read here from the same files sentence-transformers reads
(`model.safetensors`, `tokenizer.json`, the sentence-bert config). The tests check that both
give the same vectors.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from torch.nn import functional


class MiniLM:
    def __init__(self, model_dir: Path) -> None:
        config = json.loads((model_dir / "config.json").read_text())
        sentence_config = json.loads((model_dir / "sentence_bert_config.json").read_text())
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ValueError(f"{model_dir} is not a BERT encoder with GELU activations")
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.hidden = int(config["hidden_size"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # As sentence-transformers sets it: its max_seq_length, padded to the longest text.
        self.tokenizer.enable_truncation(int(sentence_config["max_seq_length"]))
        self.tokenizer.enable_padding(pad_id=int(config["pad_token_id"]), pad_token="[PAD]")
        self.weights = load_file(model_dir / "model.safetensors")

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return functional.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        weight, bias = self.weights[f"{name}.weight"], self.weights[f"{name}.bias"]
        return functional.layer_norm(x, weight.shape, weight, bias, self.eps)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        return x.view(batch, length, self.heads, hidden // self.heads).transpose(1, 2)

    @torch.inference_mode()
    def encode_batch(self, texts: list[str]) -> torch.Tensor:
        encodings = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in encodings], dtype=torch.long)
        types = torch.tensor([e.type_ids for e in encodings], dtype=torch.long)
        mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.bool)
        w = self.weights
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        attend = mask[:, None, None, :]  # padding is never attended to
        for i in range(self.layers):
            layer = f"encoder.layer.{i}"
            query, key, value = (
                self._heads(self._linear(x, f"{layer}.attention.self.{part}"))
                for part in ("query", "key", "value")
            )
            context = functional.scaled_dot_product_attention(query, key, value, attend)
            context = context.transpose(1, 2).reshape(x.shape)
            x = self._norm(
                self._linear(context, f"{layer}.attention.output.dense") + x,
                f"{layer}.attention.output.LayerNorm",
            )
            hidden = functional.gelu(self._linear(x, f"{layer}.intermediate.dense"))
            x = self._norm(
                self._linear(hidden, f"{layer}.output.dense") + x, f"{layer}.output.LayerNorm"
            )
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        return functional.normalize(pooled, p=2.0, dim=1)

    def encode(self, texts: list[str], batch_size: int) -> torch.Tensor:
        """Texts sorted by length into batches, as sentence-transformers does: padding to the
        longest text of a batch then costs little."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = torch.empty((len(texts), self.hidden))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self.encode_batch([texts[i] for i in rows])
        return out
