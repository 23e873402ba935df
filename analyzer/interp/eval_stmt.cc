// eval_stmt.cc: statements and assignment targets.
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "analyzer/interp/interpreter.h"

namespace shapelint::interp {

namespace {

bool HasDecorator(const ir::FunctionDef& def, const char* name) {
  for (const auto& d : def.decorators) {
    if (d->kind == ir::ExprKind::kName && static_cast<const ir::NameExpr&>(*d).id == name) return true;
    if (d->kind == ir::ExprKind::kAttribute && static_cast<const ir::AttributeExpr&>(*d).attr == name) return true;
  }
  return false;
}

}  // namespace

void Interpreter::AssignTarget(const ir::Expr& target, const ValuePtr& v, const ScopePtr& scope) {
  switch (target.kind) {
    case ir::ExprKind::kName: {
      const std::string& id = static_cast<const ir::NameExpr&>(target).id;
      AssignName(scope, id, v);
      line_values_[{target.span.file, target.span.line}] = {id, v};
      return;
    }
    case ir::ExprKind::kAttribute: {
      const auto& a = static_cast<const ir::AttributeExpr&>(target);
      ValuePtr obj = Eval(*a.value, scope);
      SetAttr(obj, a.attr, v, target.span);
      return;
    }
    case ir::ExprKind::kSubscript: {
      const auto& s = static_cast<const ir::SubscriptExpr&>(target);
      ValuePtr obj = Eval(*s.value, scope);
      ValuePtr idx = Eval(*s.index, scope);
      if (Is(obj, ValueKind::kList)) {
        auto& items = As<SeqValue>(obj)->items;
        if (auto i = AsInt(idx)) {
          int64_t k = *i < 0 ? *i + static_cast<int64_t>(items.size()) : *i;
          if (k >= 0 && k < static_cast<int64_t>(items.size())) items[k] = v;
        }
      } else if (Is(obj, ValueKind::kDict)) {
        auto* d = As<DictValue>(obj);
        for (auto& [k, x] : d->entries) {
          if (KeyEquals(k, idx) == Tri::kTrue) { x = v; return; }
        }
        d->entries.emplace_back(idx, v);
      } else if (Is(obj, ValueKind::kInstance)) {
        if (ValuePtr m = TryGetAttr(obj, "__setitem__", target.span)) {
          Args args;
          args.positional = {idx, v};
          Call(m, std::move(args), target.span);
        }
      }
      // Tensor item assignment (x[:, 0] = y) does not change shapes.
      return;
    }
    case ir::ExprKind::kTuple:
    case ir::ExprKind::kList: {
      const auto& t = static_cast<const ir::SequenceExpr&>(target);
      auto items = Iterate(v, target.span);
      size_t star = t.elts.size();
      for (size_t i = 0; i < t.elts.size(); ++i)
        if (t.elts[i]->kind == ir::ExprKind::kStarred) star = i;
      if (!items || (star == t.elts.size() && items->size() != t.elts.size()) ||
          (star < t.elts.size() && items->size() + 1 < t.elts.size())) {
        for (const auto& el : t.elts) {
          const ir::Expr& tgt = el->kind == ir::ExprKind::kStarred
                                    ? *static_cast<const ir::StarredExpr&>(*el).value
                                    : *el;
          AssignTarget(tgt, MakeUnknown("unpacking"), scope);
        }
        return;
      }
      if (star == t.elts.size()) {
        for (size_t i = 0; i < t.elts.size(); ++i) AssignTarget(*t.elts[i], (*items)[i], scope);
        return;
      }
      size_t after = t.elts.size() - star - 1;
      for (size_t i = 0; i < star; ++i) AssignTarget(*t.elts[i], (*items)[i], scope);
      std::vector<ValuePtr> mid(items->begin() + static_cast<std::ptrdiff_t>(star),
                                items->end() - static_cast<std::ptrdiff_t>(after));
      AssignTarget(*static_cast<const ir::StarredExpr&>(*t.elts[star]).value, MakeList(mid), scope);
      for (size_t i = 0; i < after; ++i)
        AssignTarget(*t.elts[star + 1 + i], (*items)[items->size() - after + i], scope);
      return;
    }
    case ir::ExprKind::kStarred:
      AssignTarget(*static_cast<const ir::StarredExpr&>(target).value, v, scope);
      return;
    default:
      return;
  }
}

ValuePtr Interpreter::MakeFunction(const ir::FunctionDef& def, const ScopePtr& scope, const ScopePtr& closure) {
  auto fn = std::make_shared<FunctionValue>();
  fn->name = def.name;
  fn->qualname = def.name;
  fn->params = &def.params;
  fn->body = &def.body;
  fn->closure = closure;
  fn->globals = scope->globals;
  fn->span = def.span;
  fn->is_staticmethod = HasDecorator(def, "staticmethod");
  fn->is_classmethod = HasDecorator(def, "classmethod");
  fn->is_property = HasDecorator(def, "property");
  for (const auto& p : def.params.params)
    fn->defaults.push_back(p.default_value ? Eval(*p.default_value, scope) : nullptr);
  // Decorators other than the markers above are not applied: in model code
  // they register (`@register_model()`), adapt legacy keywords
  // (`@handle_legacy_interface(...)`) or mark for the JIT (`@torch.jit.unused`)
  // and then call the function as it is. Running their wrappers would cost
  // more than it tells, and an unknown wrapper would hide the function.
  ValuePtr result = fn;
  return result;
}

Flow Interpreter::ExecBlock(const ir::Block& block, const ScopePtr& scope) {
  for (const auto& s : block) {
    Flow f = Exec(*s, scope);
    if (f != Flow::kNormal) return f;
  }
  return Flow::kNormal;
}

Flow Interpreter::Exec(const ir::Stmt& s, const ScopePtr& scope) {
  if (!Step()) return Flow::kAbort;
  Flow result = Flow::kNormal;
  switch (s.kind) {
    case ir::StmtKind::kExpr:
      Eval(*static_cast<const ir::ExprStmt&>(s).value, scope);
      break;
    case ir::StmtKind::kAssign: {
      const auto& a = static_cast<const ir::AssignStmt&>(s);
      ValuePtr v = Eval(*a.value, scope);
      if (raising_ || aborted_) break;
      for (const auto& t : a.targets) AssignTarget(*t, v, scope);
      break;
    }
    case ir::StmtKind::kAugAssign: {
      const auto& a = static_cast<const ir::AugAssignStmt&>(s);
      ValuePtr cur = Eval(*a.target, scope);
      ValuePtr rhs = Eval(*a.value, scope);
      if (raising_ || aborted_) break;
      ValuePtr v = BinaryOp(a.op, cur, rhs, s.span, /*inplace=*/true);
      AssignTarget(*a.target, v, scope);
      break;
    }
    case ir::StmtKind::kAnnAssign: {
      const auto& a = static_cast<const ir::AnnAssignStmt&>(s);
      if (a.value) {
        ValuePtr v = Eval(*a.value, scope);
        if (raising_ || aborted_) break;
        AssignTarget(*a.target, v, scope);
      }
      break;
    }
    case ir::StmtKind::kReturn: {
      const auto& r = static_cast<const ir::ReturnStmt&>(s);
      return_value_ = r.value ? Eval(*r.value, scope) : MakeNone();
      result = Flow::kReturn;
      break;
    }
    case ir::StmtKind::kIf: {
      const auto& i = static_cast<const ir::IfStmt&>(s);
      ValuePtr c = Eval(*i.test, scope);
      if (raising_ || aborted_) break;
      Tri t = Truthy(c);
      bool take = t == Tri::kUnknown ? Decide(*i.test, "condition") : t == Tri::kTrue;
      result = ExecBlock(take ? i.body : i.orelse, scope);
      break;
    }
    case ir::StmtKind::kFor: {
      const auto& f = static_cast<const ir::ForStmt&>(s);
      ValuePtr it = Eval(*f.iter, scope);
      if (raising_ || aborted_) break;
      auto items = Iterate(it, f.iter->span);
      bool broke = false;
      if (!items) {
        // Unknown trip count: run the body once with an unknown element.
        AssignTarget(*f.target, MakeUnknown("element of unknown iterable"), scope);
        Flow b = ExecBlock(f.body, scope);
        if (b == Flow::kReturn || b == Flow::kRaise || b == Flow::kAbort) result = b;
        break;
      }
      for (const auto& item : *items) {
        AssignTarget(*f.target, item, scope);
        Flow b = ExecBlock(f.body, scope);
        if (b == Flow::kBreak) { broke = true; break; }
        if (b == Flow::kContinue || b == Flow::kNormal) continue;
        result = b;
        break;
      }
      if (result == Flow::kNormal && !broke) result = ExecBlock(f.orelse, scope);
      break;
    }
    case ir::StmtKind::kWhile: {
      const auto& w = static_cast<const ir::WhileStmt&>(s);
      int iterations = 0;
      bool broke = false;
      while (true) {
        ValuePtr c = Eval(*w.test, scope);
        if (raising_ || aborted_) break;
        Tri t = Truthy(c);
        if (t == Tri::kFalse) break;
        if (t == Tri::kUnknown) {
          // Unknown trip count: one pass through the body, then out.
          if (iterations > 0) break;
        }
        if (++iterations > options_.max_loop_iterations) {
          NoteUnmodeled("while loop exceeding the iteration bound", w.span);
          break;
        }
        Flow b = ExecBlock(w.body, scope);
        if (b == Flow::kBreak) { broke = true; break; }
        if (b == Flow::kContinue || b == Flow::kNormal) {
          if (t == Tri::kUnknown) break;
          continue;
        }
        result = b;
        break;
      }
      if (result == Flow::kNormal && !broke && !raising_ && !aborted_) result = ExecBlock(w.orelse, scope);
      break;
    }
    case ir::StmtKind::kBreak: return Flow::kBreak;
    case ir::StmtKind::kContinue: return Flow::kContinue;
    case ir::StmtKind::kPass: break;
    case ir::StmtKind::kFunctionDef: {
      const auto& d = static_cast<const ir::FunctionDef&>(s);
      AssignName(scope, d.name, MakeFunction(d, scope, scope));
      break;
    }
    case ir::StmtKind::kClassDef: {
      const auto& c = static_cast<const ir::ClassDef&>(s);
      std::vector<ClassPtr> bases;
      bool unknown_base = false;
      for (const auto& b : c.bases) {
        if (!b.keyword.empty() || b.star) continue;
        ValuePtr bv = Eval(*b.value, scope);
        if (Is(bv, ValueKind::kClass)) bases.push_back(std::static_pointer_cast<ClassValue>(bv));
        else unknown_base = true;
      }
      std::string qual = absl::StrCat(scope->globals ? scope->globals->module_name : "", ".", c.name);
      ClassPtr cls = NewClass(c.name, qual, std::move(bases));
      cls->span = c.span;
      cls->has_unknown_base |= unknown_base;
      auto body = NewScope();
      body->parent = scope;
      body->globals = scope->globals;
      for (const auto& st : c.body) {
        if (st->kind == ir::StmtKind::kFunctionDef) {
          // Methods close over the enclosing scope, not the class body.
          const auto& d = static_cast<const ir::FunctionDef&>(*st);
          ValuePtr fn = MakeFunction(d, body, scope);
          if (Is(fn, ValueKind::kFunction)) As<FunctionValue>(fn)->owner = cls;
          body->vars[d.name] = fn;
          cls->attrs.Set(d.name, fn);
          continue;
        }
        if (st->kind == ir::StmtKind::kAnnAssign) {
          const auto& ann = static_cast<const ir::AnnAssignStmt&>(*st);
          if (ann.target->kind == ir::ExprKind::kName)
            cls->annotations.push_back(static_cast<const ir::NameExpr&>(*ann.target).id);
        }
        Flow f = Exec(*st, body);
        if (f == Flow::kAbort) return f;
        if (f == Flow::kRaise) { raising_ = false; break; }
        // Class attributes assigned in the body, in order.
        for (auto& [k, v] : body->vars) cls->attrs.Set(k, v);
      }
      ValuePtr result_cls = cls;
      for (auto it = c.decorators.rbegin(); it != c.decorators.rend(); ++it) {
        ValuePtr dec = Eval(**it, scope);
        if (Is(dec, ValueKind::kFunction) || Is(dec, ValueKind::kNative)) {
          Args args;
          args.positional = {result_cls};
          ValuePtr wrapped = Call(dec, std::move(args), (*it)->span);
          if (Is(wrapped, ValueKind::kClass)) result_cls = wrapped;
        }
      }
      AssignName(scope, c.name, result_cls);
      break;
    }
    case ir::StmtKind::kImport: {
      const auto& im = static_cast<const ir::ImportStmt&>(s);
      for (const auto& alias : im.names) {
        ValuePtr m = ImportModule(alias.name, alias.span);
        if (!alias.asname.empty()) {
          AssignName(scope, alias.asname, m);
        } else {
          // `import a.b.c` binds `a` (and loads the submodules).
          std::string top = alias.name.substr(0, alias.name.find('.'));
          AssignName(scope, top, top == alias.name ? m : ImportModule(top, alias.span));
        }
      }
      break;
    }
    case ir::StmtKind::kImportFrom: {
      const auto& im = static_cast<const ir::ImportFromStmt&>(s);
      if (im.module == "__future__" && im.level == 0) break;  // compiler directives
      std::string mod = im.module;
      if (im.level > 0) {
        // Relative to the importing module's package.
        std::string pkg = scope->globals ? scope->globals->module_name : "";
        bool is_package = scope->globals && scope->globals->vars.count("__path__");
        const std::string* declared =
            scope->globals && scope->globals->vars.count("__package__") ? AsStr(scope->globals->vars["__package__"])
                                                                         : nullptr;
        if (declared != nullptr) {
          pkg = *declared;
        } else if (!is_package) {  // a plain module: its package is the name minus the last part
          size_t dot = pkg.rfind('.');
          pkg = dot == std::string::npos ? "" : pkg.substr(0, dot);
        }
        for (int l = 1; l < im.level; ++l) {
          size_t dot = pkg.rfind('.');
          pkg = dot == std::string::npos ? "" : pkg.substr(0, dot);
        }
        mod = pkg.empty() ? mod : (mod.empty() ? pkg : pkg + "." + mod);
      }
      if (mod.empty()) break;
      ValuePtr m = ImportModule(mod, s.span);
      if (im.star) {
        if (Is(m, ValueKind::kModule) && As<ModuleValue>(m)->globals) {
          auto* mv = As<ModuleValue>(m);
          EnsureLoadedQuietly(mv);
          ValuePtr all = mv->globals->vars.count("__all__") ? mv->globals->vars["__all__"] : nullptr;
          if (IsSeq(all)) {
            for (const auto& n : As<SeqValue>(all)->items) {
              if (const std::string* name = AsStr(n)) {
                ValuePtr v = TryGetAttr(m, *name, s.span);
                if (v) AssignName(scope, *name, v);
              }
            }
          } else {
            std::vector<std::pair<std::string, ValuePtr>> names(mv->globals->vars.begin(), mv->globals->vars.end());
            for (auto& [k, v] : names)
              if (!k.empty() && k[0] != '_') AssignName(scope, k, v);
          }
        }
        break;
      }
      for (const auto& alias : im.names) {
        ValuePtr v = TryGetAttr(m, alias.name, alias.span);
        if (!v || IsUnknown(v)) {
          if (Is(m, ValueKind::kModule) && As<ModuleValue>(m)->modeled) {
            v = ResolveModeled(mod + "." + alias.name, alias.span);
          } else {
            // A submodule not yet imported by the package's __init__.
            v = ImportModule(mod + "." + alias.name, alias.span);
          }
        }
        AssignName(scope, alias.asname.empty() ? alias.name : alias.asname, v);
      }
      break;
    }
    case ir::StmtKind::kTry: {
      const auto& t = static_cast<const ir::TryStmt&>(s);
      Flow b = ExecBlock(t.body, scope);
      if (b == Flow::kRaise && !t.handlers.empty()) {
        raising_ = false;
        const auto& h = t.handlers.front();
        if (!h.name.empty()) AssignName(scope, h.name, MakeUnknown("exception"));
        b = ExecBlock(h.body, scope);
      } else if (b == Flow::kNormal) {
        b = ExecBlock(t.orelse, scope);
      }
      bool was_raising = raising_;
      raising_ = false;
      Flow fin = ExecBlock(t.finalbody, scope);
      raising_ = was_raising;
      result = fin != Flow::kNormal ? fin : b;
      break;
    }
    case ir::StmtKind::kWith: {
      const auto& w = static_cast<const ir::WithStmt&>(s);
      for (const auto& item : w.items) {
        ValuePtr ctx = Eval(*item.context, scope);
        if (item.target) {
          ValuePtr entered = ctx;
          if (Is(ctx, ValueKind::kInstance)) {
            if (ValuePtr enter = TryGetAttr(ctx, "__enter__", item.context->span))
              entered = Call(enter, Args{}, item.context->span);
          }
          AssignTarget(*item.target, entered, scope);
        }
      }
      result = ExecBlock(w.body, scope);
      break;
    }
    case ir::StmtKind::kRaise:
      if (std::getenv("SHAPELINT_TRACE_RAISE") != nullptr) {
        std::fprintf(stderr, "shapelint: trace: raise at %s\n", sources_.Format(s.span).c_str());
      }
      raising_ = true;
      return Flow::kRaise;
    case ir::StmtKind::kAssert: {
      const auto& a = static_cast<const ir::AssertStmt&>(s);
      ValuePtr c = Eval(*a.test, scope);
      if (Truthy(c) == Tri::kFalse) {
        raising_ = true;
        return Flow::kRaise;
      }
      break;
    }
    case ir::StmtKind::kGlobal:
      for (const auto& n : static_cast<const ir::NamesStmt&>(s).names) scope->global_names.insert(n);
      break;
    case ir::StmtKind::kNonlocal:
      for (const auto& n : static_cast<const ir::NamesStmt&>(s).names) scope->nonlocal_names.insert(n);
      break;
    case ir::StmtKind::kDelete: {
      for (const auto& t : static_cast<const ir::DeleteStmt&>(s).targets) {
        if (t->kind == ir::ExprKind::kName) scope->vars.erase(static_cast<const ir::NameExpr&>(*t).id);
      }
      break;
    }
    case ir::StmtKind::kUnsupported:
      NoteUnmodeled(static_cast<const ir::UnsupportedStmt&>(s).what, s.span);
      break;
  }
  if (aborted_) return Flow::kAbort;
  if (raising_ && result == Flow::kNormal) return Flow::kRaise;
  return result;
}

}  // namespace shapelint::interp
