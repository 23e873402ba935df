"""Recurrent layers and wrappers (SimpleRNN, LSTM, GRU, Bidirectional,
TimeDistributed), Keras 2.x (tf.keras) semantics. Inputs are (batch, time,
features); see engine.py for how this file is run."""
import _shapelint as _sl
from keras.engine import base_kwargs, Layer, KerasTensor, UnknownTensor


class _RNN(Layer):
    gates = 1
    states = 1

    def __init__(self, units, activation="tanh", use_bias=True, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        self._init_rnn(units, activation, use_bias, return_sequences, return_state, kwargs)

    def _init_rnn(self, units, activation, use_bias, return_sequences, return_state, kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.units = units
        self.use_bias = use_bias
        self.return_sequences = return_sequences
        self.return_state = return_state
        self._config = {"units": units, "activation": activation, "use_bias": use_bias,
                        "return_sequences": return_sequences, "return_state": return_state}

    def _bias_shape(self):
        return (self.gates * self.units,)

    def build(self, input_shape):
        if len(input_shape) != 3:
            _sl.fail("shape", self, "input rank", 3, len(input_shape),
                     "recurrent layers take (batch, time, features); input shape " + str(input_shape))
            self._bad = True
            return
        # RNN.build: input_spec = InputSpec(shape=(None, None, features)).
        self._features = input_shape[-1]
        self.add_weight("kernel", (input_shape[-1], self.gates * self.units))
        self.add_weight("recurrent_kernel", (self.units, self.gates * self.units))
        if self.use_bias:
            self.add_weight("bias", self._bias_shape())

    def compute_output_shape(self, s):
        if getattr(self, "_bad", False):
            return None
        if len(s) != 3:
            _sl.fail("shape", self, "input rank", 3, len(s),
                     "recurrent layers take (batch, time, features); input shape " + str(s))
            return None
        feats = getattr(self, "_features", None)
        if feats is not None and not _sl.check_equal(self, "input dimension -1", feats, s[-1],
                                                     "its weights were built for " + str(feats) +
                                                     " features; input shape " + str(s)):
            return None
        out = (s[0], s[1], self.units) if self.return_sequences else (s[0], self.units)
        if self.return_state:
            return [out] + [(s[0], self.units)] * self.states
        return out


class SimpleRNN(_RNN):
    gates = 1


class LSTM(_RNN):
    gates = 4
    states = 2

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 return_sequences=False, return_state=False, **kwargs):
        self._init_rnn(units, activation, use_bias, return_sequences, return_state, kwargs)


class GRU(_RNN):
    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 return_sequences=False, return_state=False, reset_after=True, **kwargs):
        self._init_rnn(units, activation, use_bias, return_sequences, return_state, kwargs)
        self.reset_after = reset_after
        self._config["reset_after"] = reset_after

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)


class Bidirectional(Layer):
    def __init__(self, layer, merge_mode="concat", backward_layer=None, **kwargs):
        if "name" not in kwargs:
            kwargs["name"] = None
        Layer.__init__(self, **base_kwargs(kwargs))
        self.layer = layer
        self.merge_mode = merge_mode
        self._config = {"merge_mode": merge_mode, "layer": layer.__class__.__name__}

    def build(self, input_shape):
        self.layer.build(input_shape)
        self.layer.built = True
        for w in self.layer._weights:
            self.add_weight("forward_" + str(w[0]), w[1], w[2])
        for w in self.layer._weights:
            self.add_weight("backward_" + str(w[0]), w[1], w[2])

    def compute_output_shape(self, s):
        inner = self.layer.compute_output_shape(s)
        if inner is None:
            return None
        out = inner[0] if isinstance(inner, list) else inner
        states = inner[1:] if isinstance(inner, list) else []
        if self.merge_mode == "concat":
            out = tuple(out[:-1]) + (out[-1] * 2,)
        if self.merge_mode is None:
            outs = [out, out]
        else:
            outs = [out]
        if states:
            return outs + states + states
        return outs[0] if len(outs) == 1 else outs


class TimeDistributed(Layer):
    def __init__(self, layer, **kwargs):
        Layer.__init__(self, **base_kwargs(kwargs))
        self.layer = layer
        self._config = {"layer": layer.__class__.__name__}

    def build(self, input_shape):
        if len(input_shape) < 3:
            _sl.fail("shape", self, "input rank", "at least 3", len(input_shape),
                     "TimeDistributed takes (batch, time, ...); input shape " + str(input_shape))
            self._bad = True
            return
        inner = (input_shape[0],) + tuple(input_shape[2:])
        self.layer.build(inner)
        self.layer.built = True
        for w in self.layer._weights:
            self.add_weight(w[0], w[1], w[2])

    def compute_output_shape(self, s):
        if getattr(self, "_bad", False):
            return None
        inner = self.layer.compute_output_shape((s[0],) + tuple(s[2:]))
        if inner is None or isinstance(inner, list):
            return None
        return (s[0], s[1]) + tuple(inner[1:])
