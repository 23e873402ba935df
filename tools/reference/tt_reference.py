#!/usr/bin/env python3
"""tt_reference: ground truth for shapelint, produced by running REAL torch.

Same CLI as the dynamic tool `tt-model-analysis`:

    python3 tt_reference.py --model-path FILE.py::load_model \
                            --inputs-path FILE.py::get_inputs [--dir DIR]

Runs load_model() (eval mode) on get_inputs() under torch.no_grad(); writes
DIR/unique_modules.json and DIR/pytorch_ops.json (docs/output-format.md; op naming:
docs/ops-mapping.md), or DIR/error.json and exit 3 if the forward raises; exit 2 if
the model or inputs cannot be loaded.  DIR defaults to ./<ModelClassName>/.

Optional `--stats FILE` (not part of the tt-model-analysis CLI) also writes FILE as JSON once
the model is loaded, whether the forward succeeds (exit 0) or raises (exit 3):
{"total_params": sum(p.numel() for p in model.parameters()), "seconds": wall seconds of
load + forward + writing (torch import excluded), "load_seconds", "forward_seconds",
"exit_code", "torch": torch.__version__}.
"""
import argparse
import datetime
import importlib.util
import inspect
import json
import math
import os
import sys
import time
import traceback

import torch
import torch.nn.functional as F
from torch._jit_internal import boolean_dispatched
from torch.overrides import TorchFunctionMode

# Debian's python3-torch 1.13.1 reports torch.__version__ == "1.13.0a0".
ANALYZER = "tt_reference (torch 1.13.1)"

# Module attributes copied into "parameters", in this order (output-format.md).
PARAM_ATTRS = ["in_channels", "out_channels", "in_features", "out_features", "kernel_size",
               "stride", "padding", "dilation", "groups", "bias", "padding_mode",
               "num_features", "eps", "momentum", "affine", "track_running_stats",
               "num_heads", "embed_dim", "kdim", "vdim", "batch_first", "normalized_shape",
               "elementwise_affine"]
NEVER_MERGED = {"Sequential", "ModuleList", "ModuleDict"}

# Operator dunders, for those that reach __torch_function__ under their own name
# (in 1.13: the reflected ones such as __rsub__, __floordiv__, __getitem__).
_BINARY = {"add": "add", "sub": "sub", "mul": "mul", "truediv": "div", "div": "div",
           "matmul": "matmul", "floordiv": "floor_divide", "pow": "pow", "mod": "remainder",
           "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor"}
DUNDER_OPS = {f"__{r}{k}__": "torch." + v for k, v in _BINARY.items() for r in ("", "r")}
DUNDER_OPS.update({f"__i{k}__": f"torch.Tensor.{v}_" for k, v in _BINARY.items()})
DUNDER_OPS.update({f"__{k}__": "torch." + k
                   for k in ("neg", "abs", "eq", "ne", "lt", "le", "gt", "ge")})
DUNDER_OPS.update(__invert__="torch.bitwise_not", __getitem__="torch.Tensor.__getitem__")
# Most operators arrive as the plain Tensor method (`x + y` is seen as Tensor.add, `x @ w`
# as Tensor.matmul), indistinguishable from `x.add(y)`: these methods are always named
# torch.<n>, whether written as an operator or as a method call.
OPERATOR_METHODS = {v[6:] for v in DUNDER_OPS.values() if not v.startswith("torch.Tensor.")}

# Schema argument types that are tensors (never attributes), and the Python types
# accepted for JIT scalar types (ScalarType, Layout, MemoryFormat are "int" in the JIT).
TENSOR_TYPES = {"Tensor", "Optional[Tensor]", "List[Tensor]", "List[Optional[Tensor]]"}
SCALAR_TYPES = {"int": (int, torch.dtype, torch.layout, torch.memory_format),
                "float": (int, float), "number": (int, float, complex),
                "complex": (int, float, complex), "bool": bool, "str": str,
                "Device": (torch.device, str, int)}

STATE = {"stack": [], "paused": False, "depth": 0, "ops": []}


# ---------------------------------------------------------------- small helpers
def tensors_in(value):
    """Tensors in value, flattened through tuples/lists/dicts, in order."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in tensors_in(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in tensors_in(v)]
    return []


def shape_str(t):
    return "x".join(str(d) for d in t.shape)


def types_of(value):
    """[(shape, dtype)] of the tensors in value: ("1x3x224x224", "float32")."""
    return [(shape_str(t), str(t.dtype)[6:]) for t in tensors_in(value)]


def enc(v):
    """A JSON value for a non-tensor argument or module attribute."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else repr(v)
    if isinstance(v, (list, tuple)):        # includes torch.Size
        return [enc(e) for e in v]
    if isinstance(v, torch.dtype):
        return str(v)[6:]                   # torch.float32 -> "float32"
    if isinstance(v, slice):                # only inside __getitem__ indices
        parts = ["" if p is None else str(p) for p in (v.start, v.stop, v.step)]
        return ":".join(parts if v.step is not None else parts[:2])
    if v is Ellipsis:
        return "..."
    return "<tensor>" if isinstance(v, torch.Tensor) else str(v)


def load_callable(spec, cache={}):
    """'path/file.py::name' -> (path as given, name, object); imports each file once."""
    path, _, name = spec.rpartition("::")
    real = os.path.realpath(path)
    if real not in cache:
        sys.path.insert(0, os.path.dirname(real))
        mod_name = "tt_ref_" + os.path.splitext(os.path.basename(real))[0]
        mspec = importlib.util.spec_from_file_location(mod_name, real)
        cache[real] = sys.modules[mod_name] = importlib.util.module_from_spec(mspec)
        mspec.loader.exec_module(cache[real])   # runs the file's module-level code
    return path, name, getattr(cache[real], name)


# ---------------------------------------------------------------- op naming
def op_name_of(func):
    n = getattr(func, "__name__", "")
    if n == "__get__" and hasattr(func, "__self__"):      # property, e.g. x.T
        return "torch.Tensor." + func.__self__.__name__
    if n in DUNDER_OPS:
        return DUNDER_OPS[n]
    if getattr(torch, n, None) is func:
        return "torch." + n
    if getattr(F, n, None) is func:
        return "torch.nn.functional." + n
    if getattr(torch.Tensor, n, None) is func or is_tensor_method(func):
        return ("torch." if n in OPERATOR_METHODS else "torch.Tensor.") + n
    return f"{getattr(func, '__module__', None) or '?'}.{n}"


def is_tensor_method(func):
    """Python-level Tensor methods, e.g. Tensor.__rsub__ or the wrapper behind x ** 2."""
    return getattr(func, "__qualname__", "").split(".")[0] in ("Tensor", "_TensorBase")


def short_name(op_name):
    """Last dotted part, dunders stripped: torch.Tensor.__getitem__ -> getitem."""
    n = op_name.rsplit(".", 1)[1]
    return n.strip("_") if n.startswith("__") else n


# ---------------------------------------------------------------- op attributes
def type_ok(tstr, n, v):
    """Does value v fit the JIT schema type string tstr (n = fixed list size N)?"""
    if tstr.startswith("Optional["):
        return v is None or type_ok(tstr[9:-1], n, v)
    if tstr == "Tensor":
        return isinstance(v, torch.Tensor)
    if tstr.startswith("List["):
        if n and tstr == "List[int]" and isinstance(v, int) and not isinstance(v, bool):
            return True                                     # int[2] stride=1
        return isinstance(v, (list, tuple)) and all(type_ok(tstr[5:-1], None, e) for e in v)
    if tstr in ("int", "float") and isinstance(v, bool):
        return False
    return isinstance(v, SCALAR_TYPES.get(tstr, object))


def bind_schema(schema, args, kwargs):
    """Attributes from one aten overload, or None if args/kwargs do not fit it."""
    params = list(schema.arguments)
    positional = [a for a in params if not a.kwarg_only]
    args, bound = list(args), {}
    for i, a in enumerate(positional):
        if i >= len(args):
            break
        rest = args[i:]
        # x.view(-1, 4096): trailing ints fill one int[] parameter (Python varargs).
        # Only an unsized list, or the last positional parameter, takes them all:
        # F.avg_pool2d(x, 2, 2) binds kernel_size=2 and stride=2 one by one.
        last = i == len(positional) - 1
        if str(a.type).endswith("List[int]") and (a.N is None or (last and len(rest) > 1)) and all(
                isinstance(e, int) and not isinstance(e, bool) for e in rest):
            args = args[:i] + [list(rest)]
            bound[a.name] = args[i]
            break
        bound[a.name] = args[i]
    if len(args) > len(positional) or any(
            k in bound or k not in {a.name for a in params} for k in kwargs):
        return None
    bound.update(kwargs)
    out = {}
    for a in params:
        if a.name in bound:
            if not type_ok(str(a.type), a.N, bound[a.name]):
                return None
            value = bound[a.name]
        elif a.has_default_value():
            value = a.default_value
        else:
            return None
        if str(a.type) not in TENSOR_TYPES and not tensors_in(value):
            out[a.name] = enc(value)
    return out


def bind_signature(func, args, kwargs):
    """Attributes through inspect.signature (Python functions), or None."""
    if inspect.isfunction(func) and func in boolean_dispatched:     # F.max_pool2d etc.
        func = boolean_dispatched[func]["if_false"]
    try:
        ba = inspect.signature(func).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return None
    ba.apply_defaults()
    out = {}
    for name, value in ba.arguments.items():
        p = ba.signature.parameters[name]
        ann = p.annotation if isinstance(p.annotation, str) else \
            str(p.annotation).replace("typing.", "").replace("torch.", "")
        if name.startswith("_") or ann in ("Tensor", "Optional[Tensor]", "<class 'Tensor'>"):
            continue                        # private knobs (F.softmax's _stacklevel), tensors
        if p.kind == p.VAR_KEYWORD:
            out.update({k: enc(v) for k, v in value.items() if not tensors_in(v)})
        elif not tensors_in(value):         # a *args tuple becomes a list
            out[name] = enc(value)
    return out


def attributes_of(func, op_name, args, kwargs):
    if getattr(func, "__name__", "") == "__get__":      # property (x.T): no arguments
        return {}
    if short_name(op_name) == "getitem":
        return {"index": enc(args[1])}

    def by_schema():      # first aten overload that binds, in registration order
        schemas = torch._C._jit_get_schemas_for_operator("aten::" + op_name.rsplit(".", 1)[1])
        return next((r for r in (bind_schema(s, args, kwargs) for s in schemas)
                     if r is not None), None)

    def by_signature():
        return bind_signature(func, args, kwargs)

    # Plain Python functions (F.relu, F.max_pool2d, torch.split) bind by signature
    # first; builtins and Tensor methods (even Python ones) by aten schema first.
    plain_python = inspect.isfunction(func) and not is_tensor_method(func)
    for attempt in ((by_signature, by_schema) if plain_python else (by_schema, by_signature)):
        result = attempt()
        if result is not None:
            return result
    # Neither works: non-tensor positional args as arg<i>, keywords by name, no defaults.
    out = {f"arg{i}": enc(v) for i, v in enumerate(args) if not tensors_in(v)}
    out.update({k: enc(v) for k, v in kwargs.items() if not tensors_in(v)})
    return out


# ---------------------------------------------------------------- recording
class OpRecorder(TorchFunctionMode):
    """Records the OUTERMOST torch call, attributed to the innermost running module."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if STATE["depth"] or STATE["paused"] or not STATE["stack"]:
            return func(*args, **kwargs)
        owner = STATE["stack"][-1]
        STATE["depth"] += 1
        try:
            result = func(*args, **kwargs)
        finally:
            STATE["depth"] -= 1
        outs = [result] if isinstance(result, torch.Tensor) else list(result) \
            if isinstance(result, (tuple, list)) else []
        if not outs or not all(isinstance(r, torch.Tensor) for r in outs):
            return result                   # x.size(0), x.shape, x.dim(): not ops
        STATE["paused"] = True
        try:
            name = op_name_of(func)
            STATE["ops"].append({"path": owner, "op_name": name,
                                 "attributes": attributes_of(func, name, args, kwargs),
                                 "inputs": types_of([args, kwargs]), "outputs": types_of(outs)})
        finally:
            STATE["paused"] = False
        return result


def add_hooks(model):
    """Module stack for op attribution + last-call shapes: {path: (inputs, outputs)}."""
    io = {}

    def post(path):
        def hook(module, args, output):
            STATE["stack"].pop()
            STATE["paused"] = True           # shape reads below are not model ops
            io[path] = (types_of(args), types_of(output))
            STATE["paused"] = False
        return hook

    for path, module in model.named_modules():
        path = path or "(root)"
        module.register_forward_pre_hook(lambda m, a, p=path: STATE["stack"].append(p))
        module.register_forward_hook(post(path))
    return io


# ---------------------------------------------------------------- JSON building
def module_params(module):
    return {attr: (getattr(module, attr) is not None) if attr == "bias"
            else enc(getattr(module, attr)) for attr in PARAM_ATTRS if hasattr(module, attr)}


def build_modules(model, io, head):
    groups, path_to_id = {}, {}
    for path, module in model.named_modules():
        path = path or "(root)"
        parent = None if path == "(root)" else path.rpartition(".")[0] or "(root)"
        ins, outs = io.get(path, ([], []))
        cls, params = type(module).__name__, module_params(module)
        key = path if cls in NEVER_MERGED else json.dumps(
            [cls, sorted(s for s, _ in ins), sorted(s for s, _ in outs), params], sort_keys=True)
        if key not in groups:
            groups[key] = {
                "id": f"mod_{len(groups):03d}", "class_name": cls, "module_path": path,
                "parent": parent, "input_shapes": [s for s, _ in ins],
                "output_shapes": [s for s, _ in outs], "input_dtypes": [d for _, d in ins],
                "output_dtypes": [d for _, d in outs], "parameters": params,
                "occurrences": []}
        groups[key]["occurrences"].append(path)
        path_to_id[path] = (groups[key]["id"], cls)
    meta = dict(head, total_modules=len(path_to_id), unique_modules=len(groups),
                timestamp=now(), analyzer=ANALYZER, mode="dynamic")
    return {"metadata": meta, "modules": list(groups.values())}, path_to_id


def build_ops(path_to_id):
    groups, seen = {}, {}
    for op in STATE["ops"]:
        base = short_name(op["op_name"])      # node_name: per module path, fx-style
        count = seen[op["path"], base] = seen.get((op["path"], base), -1) + 1
        node = f"{base}_{count}" if count else base
        mod_id, cls = path_to_id[op["path"]]
        key = json.dumps([op["op_name"], op["attributes"], [s for s, _ in op["inputs"]],
                          [s for s, _ in op["outputs"]]], sort_keys=True)
        if key not in groups:
            as_json = [{"shape": s, "dtype": d} for s, d in op["outputs"]]
            types = {"inputs": [{"shape": s, "dtype": d} for s, d in op["inputs"]],
                     "output": as_json[0]}
            if len(as_json) > 1:
                types["outputs"] = as_json
            groups[key] = {"id": f"op_{len(groups):03d}", "op_name": op["op_name"],
                           "source_module_id": mod_id, "source_module_class": cls,
                           "attributes": op["attributes"], "tensor_types": types,
                           "occurrences": []}
        groups[key]["occurrences"].append({"source_module_id": mod_id, "node_name": node})
    meta = {"source_modules_json": "unique_modules.json", "total_ops": len(STATE["ops"]),
            "unique_ops": len(groups), "timestamp": now(), "analyzer": ANALYZER,
            "mode": "dynamic"}
    return {"metadata": meta, "ops": list(groups.values())}


def now():
    return datetime.datetime.now().isoformat(timespec="seconds")


def write_json(directory, name, obj):
    with open(os.path.join(directory, name), "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def remove_stale(directory, *names):
    for path in (os.path.join(directory, n) for n in names if os.path.exists(
            os.path.join(directory, n))):
        os.remove(path)


def error_line(exc, model_file):
    """Line of the innermost traceback frame that lies in the model file."""
    target = os.path.realpath(model_file)
    lines = [fr.lineno for fr in traceback.extract_tb(exc.__traceback__)
             if os.path.realpath(fr.filename) == target]
    return lines[-1] if lines else None


# ---------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model-path", required=True, help="FILE.py::load_model")
    ap.add_argument("--inputs-path", required=True, help="FILE.py::get_inputs")
    ap.add_argument("--dir", help="output directory (default ./<ModelClassName>/)")
    ap.add_argument("--stats", help="also write parameter count and timings to this JSON file")
    opts = ap.parse_args(argv)
    start = time.perf_counter()
    try:
        model_file, load_name, load_fn = load_callable(opts.model_path)
        inputs_fn = load_callable(opts.inputs_path)[2]
        model = load_fn()
        model.eval()
        inputs = inputs_fn()
    except Exception:
        traceback.print_exc()
        return 2
    loaded = time.perf_counter()

    def write_stats(exit_code, forward_end):
        if opts.stats:
            end = time.perf_counter()
            with open(opts.stats, "w") as f:
                json.dump({"total_params": sum(p.numel() for p in model.parameters()),
                           "seconds": round(end - start, 3),
                           "load_seconds": round(loaded - start, 3),
                           "forward_seconds": round(forward_end - loaded, 3),
                           "exit_code": exit_code, "torch": torch.__version__}, f, indent=2)
                f.write("\n")
    args = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    out_dir = opts.dir or os.path.join(".", type(model).__name__)
    os.makedirs(out_dir, exist_ok=True)

    io = add_hooks(model)
    try:
        with torch.no_grad(), OpRecorder():
            model(*args)
    except Exception as exc:
        remove_stale(out_dir, "unique_modules.json", "pytorch_ops.json")
        write_json(out_dir, "error.json", {
            "type": type(exc).__name__, "message": str(exc), "file": model_file,
            "line": error_line(exc, model_file)})
        print(f"tt_reference: forward raised {type(exc).__name__}: {exc}", file=sys.stderr)
        write_stats(3, time.perf_counter())
        return 3
    forwarded = time.perf_counter()
    remove_stale(out_dir, "error.json")

    head = {"load_fn_location": f"{model_file}:{load_name}", "load_fn_name": load_name,
            "model_class": type(model).__name__}
    modules, path_to_id = build_modules(model, io, head)
    write_json(out_dir, "unique_modules.json", modules)
    write_json(out_dir, "pytorch_ops.json", build_ops(path_to_id))
    write_stats(0, forwarded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
