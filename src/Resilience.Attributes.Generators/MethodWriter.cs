using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>
/// Writes one method with layers: the interface member, which adapts the shape, and one private method per chain
/// (<c>Call{m}_{first layer}</c>). An asynchronous method carries its parameters, except its token, in a value tuple
/// and gets the token that the chain's layers pass (linked by a time limiter); a synchronous one carries them all.
/// </summary>
internal static class MethodWriter
{
    private const string Calls = "global::Resilience.Attributes.ResilientCalls";
    private const string Token = "global::System.Threading.CancellationToken";
    private static readonly string[] TokenParameter = { Token + " __cancellationToken" };
    private static readonly string[] TokenArgument = { "__ct" };

    public static void Write(CodeWriter w, DecoratorPlan plan, MethodPlan method, int m)
    {
        IMethodSymbol symbol = method.Method;
        string owner = Emitter.Type(symbol.ContainingType);
        List<IParameterSymbol> carried = symbol.Parameters.Where((_, i) => !(method.IsAsync && i == method.TokenIndex)).ToList();
        string result = method.Result is null ? "bool" : Emitter.Type(method.Result);
        string segmentReturn = method.IsAsync ? $"global::System.Threading.Tasks.ValueTask<{result}>" : result;
        List<int> starts = Emitter.SegmentStarts(method);

        // The interface member.
        var first = carried.Select(p => Emitter.Identifier(p.Name)).ToList();
        if (method.IsAsync)
        {
            first.Add(method.TokenIndex >= 0 ? Emitter.Identifier(symbol.Parameters[method.TokenIndex].Name) : "default");
        }

        string call = $"Call{m}_0({string.Join(", ", first)})";
        string body = method.Shape switch
        {
            ReturnShape.Task => $"{Calls}.ToTask({call})",
            ReturnShape.ValueTask => $"{Calls}.ToValueTask({call})",
            ReturnShape.TaskOfT => $"{Calls}.ToResultTask({call})",
            _ => call,
        };
        w.Line();
        w.Line($"{Emitter.Type(symbol.ReturnType)} {owner}.{Emitter.Identifier(symbol.Name)}({MemberWriter.Parameters(symbol.Parameters)})");
        w.Line($"    => {body};");

        string parameters = string.Join(", ", carried.Select(p => $"{Emitter.Type(p.Type)} {Emitter.Identifier(p.Name)}").Concat(method.IsAsync ? TokenParameter : System.Array.Empty<string>()));
        string state = carried.Count == 0 ? "this" : $"(this, {string.Join(", ", carried.Select(p => Emitter.Identifier(p.Name)))})";
        string self = carried.Count == 0 ? "__s" : "__s.Item1";
        for (int s = 0; s < starts.Count; s++)
        {
            string inner = s + 1 < starts.Count
                ? $"{self}.Call{m}_{starts[s + 1]}({string.Join(", ", carried.Select((_, i) => $"__s.Item{i + 2}").Concat(method.IsAsync ? TokenArgument : System.Array.Empty<string>()))})"
                : InnerCall(method, owner, self);
            string lambda = method.IsAsync ? $"static (__s, __ct) => {inner}" : $"static __s => {inner}";
            string run = method.IsAsync
                ? $"_chain{m}_{starts[s]}.ExecuteAsync({lambda}, {state}, __cancellationToken)"
                : $"_chain{m}_{starts[s]}.Execute({lambda}, {state})";
            LayerSpec layer = method.Layers[starts[s]];
            w.Line();
            if (layer.Fallbacks.Count == 0)
            {
                w.Line($"private {segmentReturn} Call{m}_{starts[s]}({parameters})");
                w.Line($"    => {run};");
                continue;
            }

            w.Line($"private {(method.IsAsync ? "async " : string.Empty)}{segmentReturn} Call{m}_{starts[s]}({parameters})");
            w.Open();
            w.Line("try");
            w.Open();
            w.Line(method.IsAsync ? $"return await {run}.ConfigureAwait(false);" : $"return {run};");
            w.Close();
            string token = method.IsAsync ? "__cancellationToken" : method.TokenIndex >= 0 ? Emitter.Identifier(symbol.Parameters[method.TokenIndex].Name) : "default";
            foreach (FallbackOverload fallback in layer.Fallbacks)
            {
                w.Line($"catch ({Emitter.Type(fallback.ExceptionType)} __e) when ({Calls}.MayFallBack(__e, {token}))");
                w.Open();
                WriteFallback(w, plan, method, layer, fallback, token);
                w.Close();
            }

            w.Close();
        }
    }

    private static string InnerCall(MethodPlan method, string owner, string self)
    {
        IMethodSymbol symbol = method.Method;
        int carriedIndex = 0;
        var arguments = new List<string>();
        for (int i = 0; i < symbol.Parameters.Length; i++)
        {
            arguments.Add(method.IsAsync && i == method.TokenIndex ? "__ct" : $"__s.Item{(carriedIndex++) + 2}");
        }

        string call = $"(({owner}){self}._inner).{Emitter.Identifier(symbol.Name)}({string.Join(", ", arguments)})";
        return method.Shape switch
        {
            ReturnShape.Task => $"{Calls}.FromTask({call})",
            ReturnShape.ValueTask => $"{Calls}.FromValueTask({call})",
            ReturnShape.TaskOfT => $"{Calls}.FromResultTask({call})",
            ReturnShape.Void => $"{{ {call}; return true; }}",
            _ => call,
        };
    }

    private static void WriteFallback(CodeWriter w, DecoratorPlan plan, MethodPlan method, LayerSpec layer, FallbackOverload fallback, string token)
    {
        IMethodSymbol symbol = method.Method;
        var arguments = new List<string>();
        for (int i = 0; fallback.Arguments != FallbackArguments.None && i < symbol.Parameters.Length; i++)
        {
            bool isToken = i == method.TokenIndex;
            if (!(isToken && fallback.Arguments == FallbackArguments.AllButToken))
            {
                arguments.Add(method.IsAsync && isToken ? "__cancellationToken" : Emitter.Identifier(symbol.Parameters[i].Name));
            }
        }

        arguments.Add("__e");
        if (fallback.WithToken)
        {
            arguments.Add(token);
        }

        IMethodSymbol target = fallback.Method;
        string receiver = target.IsStatic
            ? Emitter.Type(target.ContainingType)
            : plan.IsClass && layer.Host.TypeKind == TypeKind.Class ? "_inner" : $"(({Emitter.Type(layer.Host)})_inner)";
        string call = $"{receiver}.{Emitter.Identifier(target.Name)}({string.Join(", ", arguments)})";
        switch (method.Shape)
        {
            case ReturnShape.Void:
                w.Line($"{call};");
                w.Line("return true;");
                break;
            case ReturnShape.Task or ReturnShape.ValueTask:
                w.Line($"await {call}.ConfigureAwait(false);");
                w.Line("return true;");
                break;
            case ReturnShape.TaskOfT or ReturnShape.ValueTaskOfT:
                w.Line($"return await {call}.ConfigureAwait(false);");
                break;
            default:
                w.Line($"return {call};");
                break;
        }
    }
}
