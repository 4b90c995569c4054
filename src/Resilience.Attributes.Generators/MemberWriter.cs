using System.Linq;
using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>Writes the members that only forward to the inner instance: methods without layers, properties, indexers, events.</summary>
internal static class MemberWriter
{
    public static void Forwarders(CodeWriter w, DecoratorPlan plan)
    {
        foreach (MethodPlan method in plan.Methods.Where(m => !m.Valid || m.Layers.Count == 0))
        {
            ForwardMethod(w, method.Method);
        }

        foreach (INamedTypeSymbol @interface in plan.Interfaces)
        {
            string owner = Emitter.Type(@interface);
            string inner = $"(({owner})_inner)";
            foreach (IPropertySymbol property in @interface.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && p.IsAbstract))
            {
                string reference = property.ReturnsByRef ? "ref " : property.ReturnsByRefReadonly ? "ref readonly " : string.Empty;
                string target = property.IsIndexer ? $"{inner}[{Arguments(property.Parameters)}]" : $"{inner}.{Emitter.Identifier(property.Name)}";
                string declared = property.IsIndexer ? $"{owner}.this[{Parameters(property.Parameters)}]" : $"{owner}.{Emitter.Identifier(property.Name)}";
                w.Line();
                w.Line($"{reference}{Emitter.Type(property.Type)} {declared}");
                w.Open();
                if (property.GetMethod is not null)
                {
                    w.Line($"get => {(reference.Length > 0 ? "ref " : string.Empty)}{target};");
                }

                if (property.SetMethod is not null)
                {
                    w.Line(property.SetMethod.IsInitOnly
                        ? "init => throw new global::System.NotSupportedException(\"An init-only property cannot be set through a decorator.\");"
                        : $"set => {target} = value;");
                }

                w.Close();
            }

            foreach (IEventSymbol @event in @interface.GetMembers().OfType<IEventSymbol>().Where(e => !e.IsStatic && e.IsAbstract))
            {
                w.Line();
                w.Line($"event {Emitter.Type(@event.Type)} {owner}.{Emitter.Identifier(@event.Name)}");
                w.Open();
                w.Line($"add => {inner}.{Emitter.Identifier(@event.Name)} += value;");
                w.Line($"remove => {inner}.{Emitter.Identifier(@event.Name)} -= value;");
                w.Close();
            }
        }
    }

    public static string Parameters(System.Collections.Immutable.ImmutableArray<IParameterSymbol> parameters) =>
        string.Join(", ", parameters.Select(p => $"{Modifier(p)}{(p.IsParams ? "params " : string.Empty)}{Emitter.Type(p.Type)} {Emitter.Identifier(p.Name)}"));

    public static string Arguments(System.Collections.Immutable.ImmutableArray<IParameterSymbol> parameters) =>
        string.Join(", ", parameters.Select(p => $"{ArgumentModifier(p)}{Emitter.Identifier(p.Name)}"));

    private static void ForwardMethod(CodeWriter w, IMethodSymbol method)
    {
        string owner = Emitter.Type(method.ContainingType);
        string reference = method.ReturnsByRef ? "ref " : method.ReturnsByRefReadonly ? "ref readonly " : string.Empty;
        string typeParameters = method.IsGenericMethod ? $"<{string.Join(", ", method.TypeParameters.Select(t => Emitter.Identifier(t.Name)))}>" : string.Empty;
        w.Line();
        w.Line($"{reference}{Emitter.Type(method.ReturnType)} {owner}.{Emitter.Identifier(method.Name)}{typeParameters}({Parameters(method.Parameters)})");
        w.Line($"    => {(reference.Length > 0 ? "ref " : string.Empty)}(({owner})_inner).{Emitter.Identifier(method.Name)}{typeParameters}({Arguments(method.Parameters)});");
    }

    private static string Modifier(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => string.Empty,
    };

    private static string ArgumentModifier(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.Ref or RefKind.RefReadOnlyParameter => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        _ => string.Empty,
    };
}
