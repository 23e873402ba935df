"""Found through python-path = ["src"]; the configured input shape makes the
Linear's size a definite error (784 != 1024), and the unused dropout is ignored."""
import torch.nn as nn

from blocks import conv_block


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(conv_block(3, 16), conv_block(16, 16))
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(16 * 8 * 8, 10)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))
