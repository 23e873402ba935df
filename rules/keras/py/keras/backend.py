"""keras.backend, as keras_applications and model code use it."""
import _shapelint as _sl
from keras.engine import KerasTensor, image_data_format, set_image_data_format, reset_uids


def backend():
    return "tensorflow"


def int_shape(x):
    if isinstance(x, KerasTensor):
        return tuple([d if _sl.is_const(d) else None for d in x.shape])
    return _sl.unknown("keras.backend.int_shape")


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)


def floatx():
    return "float32"


def epsilon():
    return 1e-07


def clear_session():
    reset_uids()


class name_scope:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def __getattr__(name):
    return _sl.unknown("keras.backend." + name)
