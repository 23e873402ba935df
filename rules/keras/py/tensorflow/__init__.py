"""tensorflow, as far as model code needs it: tf.keras is Keras (the
interpreter maps tensorflow.keras.* to keras.*); other TF ops are unknown."""
import _shapelint as _sl
import keras

float32 = "float32"
int32 = "int32"
int64 = "int64"


def __getattr__(name):
    return _sl.unknown("tensorflow." + name)
