#!/usr/bin/env python3
"""Parameter counts and summaries of the Keras fixtures (fixtures/keras/).

    /usr/bin/python3 tests/keras/keras_fixtures_test.py SHAPELINT_BINARY

For each case, runs `shapelint summary --format json --model-path
fixtures/keras/<file>::<fn> [--input-shape S]` and compares the totals
(total / trainable / non-trainable) and the listed layer rows (name, class,
output shapes, params) with numbers computed by hand from Keras 2.x (tf.keras)
formulas, written next to each figure. Also compares the whole text of
`shapelint summary` with hand-written blocks in Keras' legacy print_summary
layout (tf.keras 2.0-2.6 layer_utils.print_summary: 65 columns at 29/55/65 for
a sequential-like model, 98 columns at 32/53/65/98 otherwise; rows padded with
trailing spaces; totals with thousands separators).

Shapes are shapelint's notation: "Bx28x28x32" (B = Keras' None batch), or with
the batch of --input-shape ("1x10").

Checks that fail because of a known shapelint bug are listed with the bug
(`known=`): they print XFAIL and do not fail the test; once the bug is fixed
they print XPASS and fail it, so that the marker is removed. Stdlib only.
"""
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = "fixtures/keras"

# ---- Known shapelint bugs: constants passed as known= (none at present) ----------
# ---- Cases -----------------------------------------------------------------------
# rows: name -> (class, output_shapes or None (not compared), params, trainable, non_trainable)
CASES = []


def case(file, fn, total, trainable, non_trainable, rows=None, order=None, input_shape=None, model_class=None,
         known=None):
    CASES.append(dict(file=file, fn=fn, total=total, trainable=trainable, non_trainable=non_trainable,
                      rows=rows or {}, order=order, input_shape=input_shape, model_class=model_class,
                      known=known or {}))


def dense(n_in, units, bias=True):
    return n_in * units + (units if bias else 0)


# Seed 000: DynamicModel(num_layers=5) called on 20 features.
#   dense:   Dense(32) on 20:  20*32 + 32 = 672
#   dense_1..dense_4: Dense(32) on 32: 32*32 + 32 = 1056 each
#   dense_5: Dense(10) on 32:  32*10 + 10 = 330
#   total 672 + 4*1056 + 330 = 5226 (= 32F + 4586 with F = 20)
case("s000_dynamic_model.py", "load_model", 5226, 5226, 0, input_shape="1x20", model_class="DynamicModel",
     rows={"dense": ("Dense", ["1x32"], 672, 672, 0),
           "dense_1": ("Dense", ["1x32"], 1056, 1056, 0),
           "dense_4": ("Dense", ["1x32"], 1056, 1056, 0),
           "dense_5": ("Dense", ["1x10"], 330, 330, 0)},
     order=["dense", "dense_1", "dense_2", "dense_3", "dense_4", "dense_5"])

# Seed 001: ExampleNetwork on (1, 28, 28, 3). Module level already made conv2d,
# conv2d_1, flatten, dense, so a second instance gets the next names.
#   conv1 Conv2D(32, 3x3, same) on 3 channels: 3*3*3*32 + 32 = 896, 28x28
#   conv2 Conv2D(64, 5x5, valid) on 32: 5*5*32*64 + 64 = 51264, 28-5+1 = 24
#   flatten: 24*24*64 = 36864
#   dense Dense(10) on 36864: 36864*10 + 10 = 368650
#   total 896 + 51264 + 368650 = 420810
S001_ROWS = {"conv2d_2": ("Conv2D", ["1x28x28x32"], 896, 896, 0),
             "conv2d_3": ("Conv2D", ["1x24x24x64"], 51264, 51264, 0),
             "flatten_1": ("Flatten", ["1x36864"], 0, 0, 0),
             "dense_1": ("Dense", ["1x10"], 368650, 368650, 0)}
case("s001_example_network.py", "load_model", 420810, 420810, 0, input_shape="1x28x28x3",
     model_class="ExampleNetwork", rows=S001_ROWS, order=list(S001_ROWS))
case("s001_example_network_functional.py", "load_functional", 420810, 420810, 0, model_class="Functional",
     rows={"input_1": ("InputLayer", ["Bx28x28x3"], 0, 0, 0),
           "conv2d": ("Conv2D", ["Bx28x28x32"], 896, 896, 0),
           "conv2d_1": ("Conv2D", ["Bx24x24x64"], 51264, 51264, 0),
           "flatten": ("Flatten", ["Bx36864"], 0, 0, 0),
           "dense": ("Dense", ["Bx10"], 368650, 368650, 0)},
     order=["input_1", "conv2d", "conv2d_1", "flatten", "dense"])

# Seed 003: Sequential([Dense(64, relu, input_shape=(10,)), Dense(10, softmax)])
#   dense:   10*64 + 64 = 704;  dense_1: 64*10 + 10 = 650;  total 1354
case("s003_get_config.py", "load_model", 1354, 1354, 0, model_class="Sequential",
     rows={"dense": ("Dense", ["Bx64"], 704, 704, 0), "dense_1": ("Dense", ["Bx10"], 650, 650, 0)},
     order=["dense", "dense_1"])

# Convolutions (fixtures/keras/layers_conv.py). Conv: prod(k) * C_in * filters + filters;
# Conv2DTranspose: kh*kw*filters*C_in + filters; DepthwiseConv2D: kh*kw*C_in*dm + C_in*dm;
# SeparableConv2D: kh*kw*C_in*dm + C_in*dm*filters + filters.
CONV = {
    "dense_rank3": ("Dense", ["Bx10x32"], dense(64, 32)),          # 64*32 + 32 = 2080
    "c1_valid": ("Conv1D", ["Bx96x32"], 5 * 16 * 32 + 32),          # 2592
    "c1_same_s2": ("Conv1D", ["Bx50x32"], 5 * 16 * 32 + 32),        # 2592
    "c1_dil": ("Conv1D", ["Bx92x8"], 3 * 16 * 8 + 8),               # 392
    "c1_causal": ("Conv1D", ["Bx100x8"], 3 * 16 * 8 + 8),           # 392
    "c1_cf": ("Conv1D", ["Bx32x96"], 5 * 16 * 32 + 32),             # 2592
    "c2_valid": ("Conv2D", ["Bx26x26x16"], 3 * 3 * 3 * 16 + 16),    # 448
    "c2_same": ("Conv2D", ["Bx28x28x16"], 3 * 3 * 3 * 16 + 16),     # 448
    "c2_strided": ("Conv2D", ["Bx13x8x16"], 3 * 5 * 3 * 16 + 16),   # 736
    "c2_same_s2": ("Conv2D", ["Bx14x14x16"], 3 * 3 * 3 * 16 + 16),  # 448
    "c2_dil": ("Conv2D", ["Bx24x24x8"], 3 * 3 * 3 * 8 + 8),         # 224
    "c2_s3": ("Conv2D", ["Bx9x9x8"], 4 * 4 * 3 * 8 + 8),            # 392
    "c2_cf": ("Conv2D", ["Bx16x30x30"], 3 * 3 * 3 * 16 + 16),       # 448
    "c3_valid": ("Conv3D", ["Bx14x30x30x8"], 27 * 1 * 8 + 8),       # 224
    "c3_same": ("Conv3D", ["Bx16x16x16x8"], 27 * 1 * 8 + 8),        # 224
    "c3_cf": ("Conv3D", ["Bx4x14x30x30"], 27 * 1 * 4 + 4),          # 112
    "t_valid": ("Conv2DTranspose", ["Bx15x15x32"], 3 * 3 * 32 * 64 + 32),   # 18464
    "t_same": ("Conv2DTranspose", ["Bx14x14x32"], 3 * 3 * 32 * 64 + 32),    # 18464
    "t_outpad": ("Conv2DTranspose", ["Bx13x13x32"], 4 * 4 * 32 * 64 + 32),  # 32800
    "t_s1": ("Conv2DTranspose", ["Bx9x9x32"], 3 * 3 * 32 * 64 + 32),        # 18464
    "t_cf": ("Conv2DTranspose", ["Bx32x15x15"], 3 * 3 * 32 * 64 + 32),      # 18464
    "dw": ("DepthwiseConv2D", ["Bx26x26x8"], 3 * 3 * 8 * 1 + 8),            # 80
    "dw_m2": ("DepthwiseConv2D", ["Bx14x14x16"], 3 * 3 * 8 * 2 + 16),       # 160
    "sep": ("SeparableConv2D", ["Bx26x26x16"], 3 * 3 * 8 + 8 * 16 + 16),    # 72 + 128 + 16 = 216
    "sep_m2": ("SeparableConv2D", ["Bx28x28x16"], 3 * 3 * 8 * 2 + 16 * 16 + 16),  # 144 + 256 + 16 = 416
}
# total: 2080 + 3*2592 + 2*392 + 4*448 + 736 + 224 + 392 + 224 + 224 + 112 + 4*18464 + 32800
#        + 80 + 160 + 216 + 416 = 121872
assert sum(v[2] for v in CONV.values()) == 121872
case("layers_conv.py", "load_model", 121872, 121872, 0,
     rows={k: (v[0], v[1], v[2], v[2], 0) for k, v in CONV.items()})

# Pooling (layers_pool.py): no weights; automatic names (zero-based per class, aliases share
# the class: MaxPool2D -> max_pooling2d, AvgPool2D -> average_pooling2d, GlobalMaxPool2D -> ...).
case("layers_pool.py", "load_model", 0, 0, 0,
     rows={"max_pooling1d": ("MaxPooling1D", ["Bx50x16"], 0, 0, 0),
           "max_pooling1d_1": ("MaxPooling1D", ["Bx49x16"], 0, 0, 0),
           "average_pooling1d": ("AveragePooling1D", ["Bx25x16"], 0, 0, 0),
           "average_pooling1d_1": ("AveragePooling1D", ["Bx16x50"], 0, 0, 0),
           "max_pooling2d_2": ("MaxPooling2D", ["Bx14x14x8"], 0, 0, 0),
           "average_pooling2d_1": ("AveragePooling2D", ["Bx13x13x8"], 0, 0, 0),
           "max_pooling3d": ("MaxPooling3D", ["Bx8x8x8x4"], 0, 0, 0),
           "average_pooling3d": ("AveragePooling3D", ["Bx15x8x8x4"], 0, 0, 0),
           "global_average_pooling2d_1": ("GlobalAveragePooling2D", ["Bx1x1x8"], 0, 0, 0),
           "global_max_pooling2d_1": ("GlobalMaxPooling2D", ["Bx8x1x1"], 0, 0, 0),
           "global_max_pooling1d": ("GlobalMaxPooling1D", ["Bx1x16"], 0, 0, 0),
           "global_average_pooling3d": ("GlobalAveragePooling3D", ["Bx4"], 0, 0, 0)})

# Reshaping layers (layers_reshape.py): no weights.
case("layers_reshape.py", "load_model", 0, 0, 0,
     rows={"flatten": ("Flatten", ["Bx6272"], 0, 0, 0),
           "reshape": ("Reshape", ["Bx7x7x128"], 0, 0, 0),
           "permute": ("Permute", ["Bx64x10"], 0, 0, 0),
           "repeat_vector": ("RepeatVector", ["Bx5x16"], 0, 0, 0),
           "zero_padding2d_2": ("ZeroPadding2D", ["Bx31x35x8"], 0, 0, 0),
           "cropping2d": ("Cropping2D", ["Bx24x20x8"], 0, 0, 0),
           "up_sampling2d_1": ("UpSampling2D", ["Bx56x84x8"], 0, 0, 0),
           "zero_padding1d": ("ZeroPadding1D", ["Bx15x64"], 0, 0, 0),
           "cropping3d": ("Cropping3D", ["Bx6x14x14x4"], 0, 0, 0),
           "up_sampling3d": ("UpSampling3D", ["Bx16x16x16x4"], 0, 0, 0)})

# Normalization / activations (layers_norm_act.py).
#   BatchNormalization on C=32: gamma, beta (trainable) + moving mean/var (not): 4*32 = 128 (64 / 64)
#   BatchNormalization(scale=False) C=32: beta + 2 moving: 3*32 = 96 (32 / 64)
#   BatchNormalization(axis=1) on (16, 14, 14): 4*16 = 64 (32 / 32)
#   LayerNormalization on (10, 64), axis -1: gamma + beta of 64 = 128
#   LayerNormalization axis [1, 2]: gamma + beta of (10, 64) = 2*640 = 1280
#   PReLU on (28, 28, 32): alpha 28*28*32 = 25088; shared_axes [1, 2]: alpha (1, 1, 32) = 32
#   total 128+96+64+128+1280+25088+32 = 26816; non-trainable 64+64+32 = 160; trainable 26656
case("layers_norm_act.py", "load_model", 26816, 26656, 160,
     rows={"dropout": ("Dropout", ["Bx28x28x32"], 0, 0, 0),
           "spatial_dropout2d": ("SpatialDropout2D", ["Bx28x28x32"], 0, 0, 0),
           "batch_normalization": ("BatchNormalization", ["Bx28x28x32"], 128, 64, 64),
           "batch_normalization_1": ("BatchNormalization", ["Bx28x28x32"], 96, 32, 64),
           "batch_normalization_2": ("BatchNormalization", ["Bx16x14x14"], 64, 32, 32),
           "layer_normalization": ("LayerNormalization", ["Bx10x64"], 128, 128, 0),
           "layer_normalization_1": ("LayerNormalization", ["Bx10x64"], 1280, 1280, 0),
           "activation": ("Activation", ["Bx28x28x32"], 0, 0, 0),
           "re_lu": ("ReLU", ["Bx28x28x32"], 0, 0, 0),
           "softmax": ("Softmax", ["Bx10x64"], 0, 0, 0),
           "leaky_re_lu": ("LeakyReLU", ["Bx28x28x32"], 0, 0, 0),
           "p_re_lu": ("PReLU", ["Bx28x28x32"], 25088, 25088, 0),
           "p_re_lu_1": ("PReLU", ["Bx28x28x32"], 32, 32, 0),
           "elu": ("ELU", ["Bx10x64"], 0, 0, 0),
           "rescaling": ("Rescaling", ["Bx28x28x32"], 0, 0, 0)})


# Recurrent (layers_recurrent.py), F input features, u units:
#   SimpleRNN u(F+u+1); LSTM 4u(F+u+1); GRU (reset_after=True, TF2 default) 3u(F+u+2),
#   GRU(reset_after=False) 3u(F+u+1); Bidirectional = 2x inner; TimeDistributed = inner.
def rnn(F, u):
    return u * (F + u + 1)


def lstm(F, u):
    return 4 * u * (F + u + 1)


def gru(F, u, reset_after=True):
    return 3 * u * (F + u + (2 if reset_after else 1))


REC = {
    "emb": ("Embedding", ["Bx20x64"], 1000 * 64),                  # 64000
    "emb_len": ("Embedding", ["Bx20x32"], 1000 * 32),              # 32000
    "rnn": ("SimpleRNN", ["Bx32"], rnn(64, 32)),                   # 32*97 = 3104
    "rnn_seq": ("SimpleRNN", ["Bx20x32"], rnn(64, 32)),            # 3104
    "lstm_state": ("LSTM", ["Bx48", "Bx48", "Bx48"], lstm(64, 48)),  # 192*113 = 21696
    "lstm_seq": ("LSTM", ["Bx20x48"], lstm(64, 48)),               # 21696
    "lstm_both": ("LSTM", ["Bx20x16", "Bx16", "Bx16"], lstm(32, 16)),  # 64*49 = 3136
    "gru": ("GRU", ["Bx24"], gru(64, 24)),                         # 72*90 = 6480
    "gru_v1": ("GRU", ["Bx24"], gru(64, 24, reset_after=False)),   # 72*89 = 6408
    "gru_state": ("GRU", ["Bx24", "Bx24"], gru(64, 24)),           # 6480
    "lstm_bottom": ("LSTM", ["Bx20x32"], lstm(64, 32)),            # 128*97 = 12416
    "lstm_top": ("LSTM", ["Bx16"], lstm(32, 16)),                  # 3136
    "bi": ("Bidirectional", ["Bx64"], 2 * lstm(64, 32)),           # 24832
    "bi_sum": ("Bidirectional", ["Bx20x16"], 2 * gru(64, 16)),     # 2*48*82 = 7872
    "bi_none": ("Bidirectional", ["Bx8", "Bx8"], 2 * rnn(64, 8)),  # 2*584 = 1168
    "bi_state": ("Bidirectional", ["Bx16", "Bx8", "Bx8", "Bx8", "Bx8"], 2 * lstm(64, 8)),  # 2*2336 = 4672
    "td_dense": ("TimeDistributed", ["Bx10x8"], dense(16, 8)),     # 136
    "td_conv": ("TimeDistributed", ["Bx5x26x26x4"], 3 * 3 * 1 * 4 + 4),  # 40
}
assert sum(v[2] for v in REC.values()) == 222376
case("layers_recurrent.py", "load_model", 222376, 222376, 0,
     rows={k: (v[0], v[1], v[2], v[2], 0) for k, v in REC.items()})
# Sequential([Embedding(10000, 64), LSTM(64), Dense(1)]): Embedding declares input (None, None),
# so the model is built: 10000*64 = 640000; LSTM 4*64*(64+64+1) = 33024; Dense 64+1 = 65.
# Module level already made one automatic LSTM pair (lstm, lstm_1 in Bidirectional) and a Dense.
case("layers_recurrent.py", "load_text_classifier", 673089, 673089, 0, model_class="Sequential",
     rows={"embedding": ("Embedding", None, 640000, 640000, 0),
           "lstm_2": ("LSTM", ["Bx64"], 33024, 33024, 0),
           "dense_1": ("Dense", ["Bx1"], 65, 65, 0)},
     order=["embedding", "lstm_2", "dense_1"])

# Merge layers (layers_merge.py): no weights.
case("layers_merge.py", "load_model", 0, 0, 0,
     rows={"concatenate": ("Concatenate", ["Bx8x8x64"], 0, 0, 0),
           "concatenate_3": ("Concatenate", ["Bx15x64"], 0, 0, 0),
           "add_3": ("Add", ["Bx10x64"], 0, 0, 0),
           "subtract_1": ("Subtract", ["Bx8x8x16"], 0, 0, 0),
           "multiply_1": ("Multiply", ["Bx8x8x16"], 0, 0, 0),
           "average_1": ("Average", ["Bx8x8x16"], 0, 0, 0),
           "maximum": ("Maximum", ["Bx8x8x16"], 0, 0, 0),
           "minimum": ("Minimum", ["Bx8x8x16"], 0, 0, 0),
           "dot": ("Dot", ["Bx1"], 0, 0, 0),
           "dot_1": ("Dot", ["Bx10x5"], 0, 0, 0)})

# Functional graph (functional_graph.py): shared Dense(16) on 32 counted once: 32*16+16 = 528;
# score Dense(1) on 32: 33; cls Dense(4) on 16: 68; total 629. Order: decreasing depth, ties
# by first visit from the outputs (a, b, shared_dense, merged, pair_sum, double, scale, score, cls).
case("functional_graph.py", "load_two_tower", 629, 629, 0, model_class="Functional",
     rows={"a": ("InputLayer", ["Bx32"], 0, 0, 0),
           "shared_dense": ("Dense", ["Bx16"], 528, 528, 0),
           "merged": ("Concatenate", ["Bx32"], 0, 0, 0),
           "pair_sum": ("Lambda", ["Bx16"], 0, 0, 0),
           "scale": ("Lambda", ["Bx16"], 0, 0, 0),
           "score": ("Dense", ["Bx1"], 33, 33, 0),
           "cls": ("Dense", ["Bx4"], 68, 68, 0)},
     order=["a", "b", "shared_dense", "merged", "pair_sum", "double", "scale", "score", "cls"])
# classifier: encoder (Conv2D(8, 3x3) on 1 channel: 9*8+8 = 80) then head Dense(10) on 8: 90.
case("functional_graph.py", "load_classifier", 170, 170, 0, model_class="Functional",
     rows={"input_4": ("InputLayer", ["Bx28x28x1"], 0, 0, 0),
           "encoder": ("Functional", ["Bx8"], 80, 80, 0),
           "head": ("Dense", ["Bx10"], 90, 90, 0)},
     order=["input_4", "encoder", "head"],
     )
CONNECTED = {("functional_graph.py", "load_two_tower"): {"shared_dense": ["a[0][0]", "b[0][0]"],
                                                         "merged": ["shared_dense[0][0]", "shared_dense[1][0]"]},
             ("functional_graph.py", "load_classifier"): {"head": ["encoder[1][0]"]},
             ("s003_get_config.py", "load_model"): {"dense": ["dense_input[0][0]"]}}

# Subclassed models (subclassed_model.py), built by --input-shape or model.build.
#   ConvNet: Conv2D(32, 3) on 1: 9*32+32 = 320; Conv2D(64, 3) on 32: 9*32*64+64 = 18496;
#   Dense(10) on 5*5*64 = 1600: 16010; total 34826.
case("subclassed_model.py", "load_convnet", 34826, 34826, 0, input_shape="1x28x28x1", model_class="ConvNet",
     rows={"conv2d_2": ("Conv2D", ["1x26x26x32"], 320, 320, 0),
           "conv2d_3": ("Conv2D", ["1x11x11x64"], 18496, 18496, 0),
           "flatten_1": ("Flatten", ["1x1600"], 0, 0, 0),
           "dense_6": ("Dense", ["1x10"], 16010, 16010, 0)},
     order=["conv2d_2", "max_pooling2d_1", "conv2d_3", "flatten_1", "dropout_1", "dense_6"])
#   MLP built with build((None, 20)): Dense(64) on 20: 1344; Dense(3) on 64: 195; total 1539.
case("subclassed_model.py", "load_mlp", 1539, 1539, 0, model_class="MLP",
     rows={"dense_6": ("Dense", None, 1344, 1344, 0), "dense_7": ("Dense", None, 195, 195, 0)})
#   ResMLP: Residual(32) holds Dense(32) on 32: 1056 (x2); Scale gamma (32,): 32; Dense(1): 33;
#   total 2*1056 + 32 + 33 = 2177.
case("subclassed_model.py", "load_res_mlp", 2177, 2177, 0, input_shape="1x32", model_class="ResMLP",
     rows={"residual_2": ("Residual", ["1x32"], 1056, 1056, 0),
           "residual_3": ("Residual", ["1x32"], 1056, 1056, 0),
           "scale_1": ("Scale", ["1x32"], 32, 32, 0),
           "dense_8": ("Dense", ["1x1"], 33, 33, 0)},
     )

# Import spellings.
#   imports_tensorflow load_tf: Conv2D(16, 3) on 1: 160; Dense(10) on 16: 170; total 330.
case("imports_tensorflow.py", "load_tf", 330, 330, 0, model_class="Functional")
#   tf.keras.models.Sequential + Dense(7, input_dim=5): 5*7+7 = 42.
case("imports_tensorflow.py", "load_seq_models", 42, 42, 0, model_class="Sequential",
     rows={"dense_5": ("Dense", ["Bx7"], 42, 42, 0)})
#   imports_keras load_direct: Conv1D(4, 5) on 8: 5*8*4+4 = 164; Dense(1) on 4: 5; total 169.
case("imports_keras.py", "load_direct", 169, 169, 0, model_class="Functional")
#   Sequential Dense(16) on 20: 336; Dense(1) on 16: 17; total 353.
case("imports_keras.py", "load_seq_direct", 353, 353, 0, model_class="Sequential")

# ---- Exact summary text (legacy tf.keras print_summary) ---------------------------
# '|' marks the end of each line (so that trailing spaces survive editors).
TEXTS = [
    # Seed 003's Sequential: 65 columns, positions 29 / 55 / 65.
    ("s003_get_config.py", "load_model", None, """
Model: "sequential"|
_________________________________________________________________|
Layer (type)                 Output Shape              Param #   |
=================================================================|
dense (Dense)                (None, 64)                704       |
_________________________________________________________________|
dense_1 (Dense)              (None, 10)                650       |
=================================================================|
Total params: 1,354|
Trainable params: 1,354|
Non-trainable params: 0|
_________________________________________________________________|
"""),
    # Shared layer and merges: 98 columns, positions 32 / 53 / 65 / 98; every inbound
    # connection after the first on a row of its own.
    ("functional_graph.py", "load_two_tower", None, """
Model: "two_tower"|
__________________________________________________________________________________________________|
Layer (type)                    Output Shape         Param #     Connected to                     |
==================================================================================================|
a (InputLayer)                  [(None, 32)]         0                                            |
__________________________________________________________________________________________________|
b (InputLayer)                  [(None, 32)]         0                                            |
__________________________________________________________________________________________________|
shared_dense (Dense)            (None, 16)           528         a[0][0]                          |
                                                                 b[0][0]                          |
__________________________________________________________________________________________________|
merged (Concatenate)            (None, 32)           0           shared_dense[0][0]               |
                                                                 shared_dense[1][0]               |
__________________________________________________________________________________________________|
pair_sum (Lambda)               (None, 16)           0           shared_dense[0][0]               |
                                                                 shared_dense[1][0]               |
__________________________________________________________________________________________________|
double (Lambda)                 (None, 32)           0           merged[0][0]                     |
__________________________________________________________________________________________________|
scale (Lambda)                  (None, 16)           0           pair_sum[0][0]                   |
__________________________________________________________________________________________________|
score (Dense)                   (None, 1)            33          double[0][0]                     |
__________________________________________________________________________________________________|
cls (Dense)                     (None, 4)            68          scale[0][0]                      |
==================================================================================================|
Total params: 629|
Trainable params: 629|
Non-trainable params: 0|
__________________________________________________________________________________________________|
"""),
    # Two heads on one input: two nodes at depth 0, so not sequential-like (98 columns).
    # x: Dense(2) on 8: 18; Dense(3) on 8: 27.
    ("functional_graph.py", "load_branches", None, """
Model: "branches"|
__________________________________________________________________________________________________|
Layer (type)                    Output Shape         Param #     Connected to                     |
==================================================================================================|
x (InputLayer)                  [(None, 8)]          0                                            |
__________________________________________________________________________________________________|
head_a (Dense)                  (None, 2)            18          x[0][0]                          |
__________________________________________________________________________________________________|
head_b (Dense)                  (None, 3)            27          x[0][0]                          |
==================================================================================================|
Total params: 45|
Trainable params: 45|
Non-trainable params: 0|
__________________________________________________________________________________________________|
"""),
]

# ---- Values `check --dump=values` computes at module level -------------------------
VALUES = [
    # Seed 003 prints extracted_layers: get_config() of the first Dense has batch_input_shape.
    ("s003_get_config.py", "extracted_layers",
     "[{'type': 'dense', 'units': 64, 'activation': 'relu', 'input_shape': (None, 10)}, "
     "{'type': 'dense', 'units': 10, 'activation': 'softmax', 'input_shape': None}]", None),
    ("imports_tensorflow.py", "shape_e3", "(None, 1568)", None),
    ("imports_tensorflow.py", "fmt", "'channels_last'", None),
    ("imports_keras.py", "width", "10", None),
]


class Results:
    def __init__(self):
        self.failed = []
        self.xfail = []
        self.xpass = []
        self.passed = 0

    def check(self, label, ok, detail, known=None):
        if ok and known is None:
            self.passed += 1
        elif ok:
            self.xpass.append("%s (marked known: %s)" % (label, known))
        elif known is not None:
            self.xfail.append("%s: %s [known: %s]" % (label, detail, known))
        else:
            self.failed.append("%s: %s" % (label, detail))


def run(binary, args):
    p = subprocess.run([binary] + args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def summary_args(file, fn, input_shape, fmt):
    args = ["summary", "--model-path", "%s/%s::%s" % (FIXTURES, file, fn)]
    if input_shape:
        args += ["--input-shape", input_shape]
    if fmt:
        args += ["--format", fmt]
    return args


def check_case(binary, c, res):
    label = "%s::%s" % (c["file"], c["fn"])
    known = c["known"]
    code, out, err = run(binary, summary_args(c["file"], c["fn"], c["input_shape"], "json"))
    try:
        data = json.loads(out)
    except ValueError:
        res.check(label, False, "no JSON (exit %d): %s" % (code, err.strip()[:500]))
        return
    for key, field in (("total", "total_params"), ("trainable", "trainable_params"),
                       ("non_trainable", "non_trainable_params")):
        res.check("%s %s" % (label, key), data.get(field) == c[key],
                  "expected %s, got %s" % (c[key], data.get(field)), known.get(key))
    if c["model_class"]:
        res.check(label + " model_class", data.get("model_class") == c["model_class"],
                  "expected %s, got %s" % (c["model_class"], data.get("model_class")), known.get("model_class"))
    res.check(label + " diagnostics", data.get("diagnostics") == [],
              "expected none, got %s" % [d.get("message") for d in data.get("diagnostics", [])],
              known.get("diagnostics"))
    layers = {l["name"]: l for l in data.get("layers", [])}
    for name, (cls, shapes, params, trainable, non_trainable) in c["rows"].items():
        l = layers.get(name)
        if l is None:
            res.check("%s layer %s" % (label, name), False, "missing; layers: %s" % list(layers),
                      known.get("layer:" + name))
            continue
        res.check("%s %s class" % (label, name), l["class_name"] == cls,
                  "expected %s, got %s" % (cls, l["class_name"]), known.get("class:" + name))
        if shapes is not None:
            res.check("%s %s output_shapes" % (label, name), l["output_shapes"] == shapes,
                      "expected %s, got %s" % (shapes, l["output_shapes"]), known.get("shapes:" + name))
        got = (l["params"], l["trainable_params"], l["non_trainable_params"])
        res.check("%s %s params" % (label, name), got == (params, trainable, non_trainable),
                  "expected (total, trainable, non-trainable) %s, got %s" % ((params, trainable, non_trainable), got),
                  known.get("params:" + name))
    if c["order"] is not None:
        got = [l["name"] for l in data.get("layers", [])]
        res.check(label + " layer order", got == c["order"], "expected %s, got %s" % (c["order"], got),
                  known.get("order"))
    for name, conns in CONNECTED.get((c["file"], c["fn"]), {}).items():
        got = layers.get(name, {}).get("connected_to")
        res.check("%s %s connected_to" % (label, name), got == conns, "expected %s, got %s" % (conns, got),
                  known.get("connected:" + name))


def check_text(binary, file, fn, input_shape, known, block, res):
    label = "%s::%s summary text" % (file, fn)
    want = [line[:-1] if line.endswith("|") else line for line in block.strip("\n").split("\n")]
    code, out, err = run(binary, summary_args(file, fn, input_shape, None))
    got = out.rstrip("\n").split("\n")
    if got == want:
        res.check(label, True, "", known)
        return
    diff = "exit %d, %d lines vs %d expected" % (code, len(got), len(want))
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else "<missing>"
        w = want[i] if i < len(want) else "<missing>"
        if g != w:
            diff += "; first difference at line %d:\n    got:      %r\n    expected: %r" % (i + 1, g, w)
            break
    res.check(label, False, diff, known)


def check_value(binary, file, name, want, known, res):
    label = "%s %s" % (file, name)
    code, out, err = run(binary, ["check", "%s/%s" % (FIXTURES, file), "--dump=values"])
    got = None
    for line in out.split("\n"):
        if line.startswith(name + " = "):
            got = line[len(name) + 3:]
    res.check(label, got == want, "expected %s, got %s" % (want, got), known)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: keras_fixtures_test.py SHAPELINT_BINARY")
    binary = os.path.abspath(sys.argv[1])
    # The hand-written blocks: every layout line has the layout's width.
    for file, fn, known, block in TEXTS:
        lines = [l for l in block.strip("\n").split("\n") if not l.startswith(("Model:", "Total", "Trainable",
                                                                               "Non-trainable"))]
        widths = {len(l) - 1 for l in lines}
        assert len(widths) == 1 and widths <= {65, 98}, (file, fn, widths)
    res = Results()
    for c in CASES:
        check_case(binary, c, res)
    for file, fn, known, block in TEXTS:
        check_text(binary, file, fn, None, known, block, res)
    for file, name, want, known in VALUES:
        check_value(binary, file, name, want, known, res)
    for x in res.xfail:
        print("XFAIL " + x)
    for x in res.xpass:
        print("XPASS " + x + ": the bug is fixed, remove the marker")
    for x in res.failed:
        print("FAIL " + x)
    print("%d passed, %d failed, %d known bugs (xfail), %d fixed known bugs (xpass)"
          % (res.passed, len(res.failed), len(res.xfail), len(res.xpass)))
    return 1 if res.failed or res.xpass else 0


if __name__ == "__main__":
    sys.exit(main())
