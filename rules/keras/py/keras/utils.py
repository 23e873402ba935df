"""keras.utils, as model code uses it."""
import _shapelint as _sl
from keras.engine import KerasTensor


def get_source_inputs(tensor, layer=None, node_index=None):
    return [tensor]


def get_file(*args, **kwargs):
    return _sl.unknown("keras.utils.get_file")


def plot_model(*args, **kwargs):
    return None


def __getattr__(name):
    return _sl.unknown("keras.utils." + name)
