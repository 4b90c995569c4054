using System.Collections.Generic;
using System.Text;

namespace Resilience.Attributes.Generators;

/// <summary>
/// Reads the object keys of a JSON document as configuration paths (<c>Resilience:CircuitBreaker:Instances:inventory</c>,
/// compared without regard to case, as configuration compares them). A small reader, so that the analyzer needs no
/// JSON package; it accepts comments and trailing commas as the configuration reader does, and stops quietly at the
/// first thing it cannot read.
/// </summary>
internal sealed class JsonKeys
{
    private readonly string _text;
    private readonly HashSet<string> _paths = new(System.StringComparer.OrdinalIgnoreCase);
    private int _at;

    private JsonKeys(string text)
    {
        _text = text;
    }

    public static HashSet<string> Read(string text)
    {
        var reader = new JsonKeys(text);
        try
        {
            reader.Value(string.Empty);
        }
        catch (System.FormatException)
        {
            // Keep what was read before the problem: a half-written file still names its early keys.
        }

        return reader._paths;
    }

    private void Value(string path)
    {
        Skip();
        char c = Peek();
        if (c == '{')
        {
            Object(path);
        }
        else if (c == '[')
        {
            Array(path);
        }
        else if (c == '"')
        {
            String();
        }
        else
        {
            while (_at < _text.Length && ",}] \t\r\n/".IndexOf(_text[_at]) < 0)
            {
                _at++;
            }
        }
    }

    private void Object(string path)
    {
        _at++;
        while (true)
        {
            Skip();
            if (Peek() == '}')
            {
                _at++;
                return;
            }

            string key = String();
            string child = path.Length == 0 ? key : path + ":" + key;
            _paths.Add(child);
            Skip();
            Expect(':');
            Value(child);
            Skip();
            if (Peek() == ',')
            {
                _at++;
            }
        }
    }

    private void Array(string path)
    {
        _at++;
        for (int index = 0; ; index++)
        {
            Skip();
            if (Peek() == ']')
            {
                _at++;
                return;
            }

            Value(path + ":" + index);
            Skip();
            if (Peek() == ',')
            {
                _at++;
            }
        }
    }

    private string String()
    {
        Expect('"');
        var text = new StringBuilder();
        while (Peek() != '"')
        {
            char c = _text[_at++];
            if (c == '\\')
            {
                char escaped = Peek();
                _at++;
                text.Append(escaped switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => escaped });
                if (escaped == 'u' && _at + 4 <= _text.Length)
                {
                    text.Length--;
                    text.Append((char)System.Convert.ToInt32(_text.Substring(_at, 4), 16));
                    _at += 4;
                }
            }
            else
            {
                text.Append(c);
            }
        }

        _at++;
        return text.ToString();
    }

    private void Skip()
    {
        while (_at < _text.Length)
        {
            char c = _text[_at];
            if (char.IsWhiteSpace(c))
            {
                _at++;
            }
            else if (c == '/' && _at + 1 < _text.Length && _text[_at + 1] == '/')
            {
                while (_at < _text.Length && _text[_at] != '\n')
                {
                    _at++;
                }
            }
            else if (c == '/' && _at + 1 < _text.Length && _text[_at + 1] == '*')
            {
                int end = _text.IndexOf("*/", _at + 2, System.StringComparison.Ordinal);
                _at = end < 0 ? _text.Length : end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => _at < _text.Length ? _text[_at] : throw new System.FormatException("The JSON ends too early.");

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw new System.FormatException($"Expected '{c}' at {_at}.");
        }

        _at++;
    }
}
