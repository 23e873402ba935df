// interp_test.cc: Python semantics of the interpreter, through the values a
// file's top level ends with (the `--dump=values` text).
#include <cstdio>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "analyzer/cli/analyze.h"

namespace shapelint {
namespace {

// Values: runs `code` as a file and returns its module-level values, one
// "name = repr" line each, sorted by name.
std::string Values(const std::string& code) {
  static int counter = 0;
  std::string path = "/tmp/shapelint_interp_test_" + std::to_string(++counter) + ".py";
  std::ofstream(path) << code;
  auto analyzer = cli::Analyzer::Create({});
  REQUIRE(analyzer.ok());
  auto r = (*analyzer)->Check(path);
  std::remove(path.c_str());
  REQUIRE(r.ok());
  return r->values_dump;
}

bool Has(const std::string& dump, const std::string& line) {
  return dump.find(line + "\n") != std::string::npos;
}

TEST_CASE("binder: defaults, keywords, *args, **kwargs, keyword-only") {
  std::string v = Values(R"(
def f(a, b=2, *rest, c, d=4, **kw):
    return (a, b, rest, c, d, sorted(kw))
r1 = f(1, c=3)
r2 = f(1, 5, 6, 7, c=3, e=9, d=8)
)");
  CHECK(Has(v, "r1 = (1, 2, (), 3, 4, [])"));
  CHECK(Has(v, "r2 = (1, 5, (6, 7), 3, 8, ['e'])"));
}

TEST_CASE("classes: MRO, both super() spellings, classmethod, staticmethod, property") {
  std::string v = Values(R"(
class A:
    def __init__(self, x):
        self.x = x
    def who(self):
        return "A"
    @classmethod
    def make(cls, x):
        return cls(x)
    @staticmethod
    def twice(y):
        return 2 * y
    @property
    def double(self):
        return self.x * 2
class B(A):
    def __init__(self, x):
        super().__init__(x + 1)
    def who(self):
        return "B" + super(B, self).who()
b = B.make(1)
x = b.x
w = b.who()
t = B.twice(5)
d = b.double
)");
  CHECK(Has(v, "x = 2"));
  CHECK(Has(v, "w = 'BA'"));
  CHECK(Has(v, "t = 10"));
  CHECK(Has(v, "d = 4"));
}

TEST_CASE("closures, lambdas, functools.partial, comprehensions") {
  std::string v = Values(R"(
import functools
def adder(n):
    def add(x):
        return x + n
    return add
a = adder(3)(4)
f = lambda x, y=10: x * y
l = f(2)
p = functools.partial(pow, 2)
def power(base, exp):
    return base ** exp
q = functools.partial(power, exp=3)(2)
sq = [i * i for i in range(5) if i % 2 == 0]
dc = {k: v for k, v in zip("ab", [1, 2])}
nested = [(i, j) for i in range(2) for j in range(i)]
)");
  CHECK(Has(v, "a = 7"));
  CHECK(Has(v, "l = 20"));
  CHECK(Has(v, "q = 8"));
  CHECK(Has(v, "sq = [0, 4, 16]"));
  CHECK(Has(v, "dc = {'a': 1, 'b': 2}"));
  CHECK(Has(v, "nested = [(1, 0)]"));
}

TEST_CASE("strings: f-strings, %-formatting, str.format, methods") {
  std::string v = Values(R"(
n = 3
a = f"layer{n}"
b = "denselayer%d" % (n + 1)
c = "{}-{name}".format(1, name="x")
d = "A,B".lower().split(",")
e = "%05.2f|%s|%r" % (3.14159, "s", "r")
)");
  CHECK(Has(v, "a = 'layer3'"));
  CHECK(Has(v, "b = 'denselayer4'"));
  CHECK(Has(v, "c = '1-x'"));
  CHECK(Has(v, "d = ['a', 'b']"));
  CHECK(Has(v, "e = '03.14|s|'r''"));
}

TEST_CASE("dataclass __init__ from annotated fields, with base fields first") {
  std::string v = Values(R"(
from dataclasses import dataclass
@dataclass
class Base:
    a: int
    b: int = 2
@dataclass
class Child(Base):
    c: float = 0.5
x = Child(1, c=3.0)
r = (x.a, x.b, x.c)
)");
  CHECK(Has(v, "r = (1, 2, 3.0)"));
}

TEST_CASE("control flow: for/else, while with break, try/except, unpacking") {
  std::string v = Values(R"(
total = 0
for i in range(10):
    if i == 4:
        break
    total += i
else:
    total = -1
k = 0
while True:
    k += 1
    if k >= 3:
        break
try:
    raise ValueError("x")
except ValueError:
    caught = True
first, *middle, last = [1, 2, 3, 4]
)");
  CHECK(Has(v, "total = 6"));
  CHECK(Has(v, "k = 3"));
  CHECK(Has(v, "caught = True"));
  CHECK(Has(v, "middle = [2, 3]"));
  CHECK(Has(v, "last = 4"));
}

TEST_CASE("math and builtins fold; unknowns stay unknown") {
  std::string v = Values(R"(
import math
import os
a = math.ceil(7 / 2)
b = max([3, 9, 4])
c = round(2.5)
d = int(3.9)
e = os.environ
f = isinstance(3, (str, int))
)");
  CHECK(Has(v, "a = 4"));
  CHECK(Has(v, "b = 9"));
  CHECK(Has(v, "c = 2"));
  CHECK(Has(v, "d = 3"));
  CHECK(Has(v, "e = ?"));
  CHECK(Has(v, "f = True"));
}

TEST_CASE("torch values: shapes through layers, symbolic sizes, constant tensors") {
  std::string v = Values(R"(
import torch
import torch.nn as nn
x = torch.randn(2, 3, 32, 32)
conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
y = conv(x)
n = y.shape[2]
w = torch.arange(4) * 2 + 1
l = w.tolist()
)");
  CHECK(Has(v, "y = Tensor[2x8x16x16]"));
  CHECK(Has(v, "n = 16"));
  CHECK(Has(v, "l = [1, 3, 5, 7]"));
}

}  // namespace
}  // namespace shapelint
