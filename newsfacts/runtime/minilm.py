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
from tokenizers import Encoding, Tokenizer
from torch.nn import functional

MAX_BATCH_TOKENS = 2048


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
        # As sentence-transformers sets it: its max_seq_length. Padding is added per batch:
        # the bundled tokenizer.json pads every text to a fixed 128 tokens, which would make
        # each short quote cost as much as a long one.
        self.tokenizer.enable_truncation(int(sentence_config["max_seq_length"]))
        self.tokenizer.no_padding()
        self.pad_id = int(config["pad_token_id"])
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
    def _encode_batch(self, encodings: list[Encoding], bfloat16: bool) -> torch.Tensor:
        length = max(len(e.ids) for e in encodings)

        def padded(rows: list[list[int]], fill: int) -> list[list[int]]:
            return [row + [fill] * (length - len(row)) for row in rows]

        ids = torch.tensor(padded([e.ids for e in encodings], self.pad_id), dtype=torch.long)
        types = torch.tensor(padded([e.type_ids for e in encodings], 0), dtype=torch.long)
        mask = torch.tensor(padded([e.attention_mask for e in encodings], 0), dtype=torch.bool)
        w = self.weights
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        attend = mask[:, None, None, :]  # padding is never attended to
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
            x = self._layers(x, attend)
        x = x.float()
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        return functional.normalize(pooled, p=2.0, dim=1)

    def _layers(self, x: torch.Tensor, attend: torch.Tensor) -> torch.Tensor:
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
        return x

    def encode(self, texts: list[str], batch_size: int, bfloat16: bool = False) -> torch.Tensor:
        """Texts sorted by length into batches, as sentence-transformers does: padding to the
        longest text of a batch then costs little. A batch also holds at most
        `MAX_BATCH_TOKENS` padded tokens: its attention scores take batch × heads × length²
        floats, which for 64 texts of the full 256 tokens is 200 MB at a time (and several times
        that in the layer's temporaries), where short quotes take a few MB.

        `bfloat16` runs the encoder layers' matrix products in bfloat16 (autocast): about three
        times faster on CPUs with native bfloat16 units, with vectors within ~1e-4 cosine of
        float32's, but slower where bfloat16 is emulated."""
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out = torch.empty((len(texts), self.hidden))
        start = 0
        while start < len(order):
            longest = len(encodings[order[start]].ids)  # the batch's first is its longest
            size = max(1, min(batch_size, MAX_BATCH_TOKENS // max(longest, 1)))
            rows = order[start : start + size]
            out[rows] = self._encode_batch([encodings[i] for i in rows], bfloat16)
            start += size
        return out
