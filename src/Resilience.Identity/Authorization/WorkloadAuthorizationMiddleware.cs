using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Resilience.Identity;

/// <summary>
/// Decides each request with the policies in force: a denied request gets 403 and never reaches the next middleware,
/// and a log line names the caller, the policy and the rule.
/// </summary>
/// <remarks>
/// An allowed request costs a volatile read of the snapshot, a look-up of the caller's SPIFFE ID (parsed once per
/// distinct ID) and the evaluation: no lock, no allocation. AUDIT policies are evaluated for every request, allowed or
/// denied, and each one that matches is logged at Information.
/// </remarks>
internal sealed partial class WorkloadAuthorizationMiddleware
{
    /// <summary>The category of the log.</summary>
    public const string LoggerCategory = "Resilience.Identity.Authorization";

    private const string NoPrincipal = "no principal";

    private readonly RequestDelegate _next;
    private readonly WorkloadAuthorization _authorization;
    private readonly CallerIdentity _callers = CallerIdentity.CreateReader();
    private readonly ILogger _logger;

    public WorkloadAuthorizationMiddleware(RequestDelegate next, WorkloadAuthorization authorization, ILoggerFactory loggerFactory)
    {
        _next = next;
        _authorization = authorization;
        _logger = loggerFactory.CreateLogger(LoggerCategory);
    }

    public Task InvokeAsync(HttpContext context)
    {
        AuthorizationSnapshot snapshot = _authorization.Snapshot;
        HttpRequest request = context.Request;
        CallerIdentity caller = _callers.Read(context.User);
        var subject = new AuthorizationRequest(caller.Principal, caller.Namespace, request.Method, request.PathBase.Value, request.Path.Value);
        AuthorizationDecision decision = snapshot.Evaluate(subject);
        foreach (CompiledPolicy audit in snapshot.Audit)
        {
            int rule = audit.Match(subject);
            if (rule >= 0)
            {
                LogAudited(_logger, request, caller, decision.Allowed, audit.Name, rule);
            }
        }

        if (decision.Allowed)
        {
            return _next(context);
        }

        string path = request.PathBase + request.Path;
        if (decision.Policy is { } policy)
        {
            LogDeniedByPolicy(_logger, request.Method, path, caller.Principal ?? NoPrincipal, policy.Name, decision.RuleIndex);
        }
        else
        {
            LogDeniedNoAllowMatch(_logger, request.Method, path, caller.Principal ?? NoPrincipal);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private static void LogAudited(ILogger logger, HttpRequest request, CallerIdentity caller, bool allowed, string policy, int rule)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string path = request.PathBase + request.Path;
            LogAudited(logger, request.Method, path, caller.Principal ?? NoPrincipal, allowed ? "allowed" : "denied", policy, rule);
        }
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Denied {Method} {Path} from {Principal} with 403: DENY policy '{Policy}' matched by its rule {Rule}.")]
    private static partial void LogDeniedByPolicy(ILogger logger, string method, string path, string principal, string policy, int rule);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Denied {Method} {Path} from {Principal} with 403: no ALLOW policy matched.")]
    private static partial void LogDeniedNoAllowMatch(ILogger logger, string method, string path, string principal);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Audited {Method} {Path} from {Principal} ({Decision}): AUDIT policy '{Policy}' matched by its rule {Rule}.")]
    private static partial void LogAudited(ILogger logger, string method, string path, string principal, string decision, string policy, int rule);
}
