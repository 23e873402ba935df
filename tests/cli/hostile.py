# Code that would recurse or loop forever if run: the analysis must end with notes.
import torch
import torch.nn as nn


def forever(n):
    return forever(n + 1)


class Loop(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def __getattr__(self, name):
        return self.missing

    def forward(self, x):
        while True:
            x = x + 1
        return self.fc(x)


class Self(Self):
    pass


forever(0)
y = Loop()(torch.randn(2, 4))
z = ((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))
