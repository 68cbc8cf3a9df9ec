using System.Globalization;

namespace SamAdapt.Cli;

/// <summary>Parses the prompt arguments of the command line (<c>--points</c>, <c>--box</c>).</summary>
public static class PromptParsing
{
    /// <summary>
    /// Parses <c>"x,y,label;x,y,label"</c> (original-image pixels; label 1 = foreground, 0 = background).
    /// </summary>
    /// <exception cref="ArgumentException">The text is malformed; the message quotes the bad part.</exception>
    public static (float X, float Y, int Label)[] ParsePoints(string text, string option = "--points")
    {
        var points = new List<(float, float, int)>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = part.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length != 3 || !TryFloat(fields[0], out float x) || !TryFloat(fields[1], out float y) ||
                !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label is not (0 or 1))
                throw new ArgumentException($"{option}: '{part}' is not 'x,y,label' with numbers x, y and label 0 (background) or 1 (foreground).", option);
            points.Add((x, y, label));
        }
        if (points.Count == 0)
            throw new ArgumentException($"{option}: expected at least one point as \"x,y,label;x,y,label\".", option);
        return points.ToArray();
    }

    /// <summary>Parses <c>"x0,y0,x1,y1"</c> (original-image pixels, x0 &lt;= x1, y0 &lt;= y1).</summary>
    /// <exception cref="ArgumentException">The text is malformed; the message quotes it.</exception>
    public static (float X0, float Y0, float X1, float Y1) ParseBox(string text, string option = "--box")
    {
        var fields = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[4];
        if (fields.Length != 4 || !fields.Select((f, i) => TryFloat(f, out values[i])).All(ok => ok))
            throw new ArgumentException($"{option}: '{text}' is not 'x0,y0,x1,y1' (four numbers).", option);
        if (values[0] > values[2] || values[1] > values[3])
            throw new ArgumentException($"{option}: '{text}' needs x0 <= x1 and y0 <= y1.", option);
        return (values[0], values[1], values[2], values[3]);
    }

    static bool TryFloat(string s, out float value) =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
}
