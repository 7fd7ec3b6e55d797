package sqlline;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** sqlline's configuration for {@code bin/weir-sql}: its title, Weir's URL, and a table format that marks cut rows. */
final class WeirApplication extends Application {
    @Override
    public String getInfoMessage() {
        return "Weir SQL shell (" + getVersion() + ")";
    }

    @Override
    public Collection<String> getConnectionUrlExamples() {
        return List.of("jdbc:weir://127.0.0.1:8765");
    }

    @Override
    public Map<String, OutputFormat> getOutputFormats(SqlLine sqlLine) {
        Map<String, OutputFormat> formats = new HashMap<>(super.getOutputFormats(sqlLine));
        formats.put("table", new MarkedTableOutputFormat(sqlLine));
        return Collections.unmodifiableMap(formats);
    }
}
