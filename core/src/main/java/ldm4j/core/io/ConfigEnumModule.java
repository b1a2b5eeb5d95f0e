package ldm4j.core.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * The one mapper setting for {@link ConfigEnum}s: written as {@link ConfigEnum#id()}, read by
 * {@link ConfigEnum#find}. An unknown name is an {@code InvalidFormatException}, which
 * {@link Json} reports as one line naming the key and the ids.
 */
final class ConfigEnumModule extends SimpleModule {
    ConfigEnumModule() {
        super("ldm4j-config-enums");
        addSerializer(ConfigEnum.class, new IdWriter());
        setDeserializers(new SimpleDeserializers() {
            @Override
            public JsonDeserializer<?> findEnumDeserializer(Class<?> type, DeserializationConfig config,
                    BeanDescription beanDesc) throws JsonMappingException {
                return ConfigEnum.class.isAssignableFrom(type) ? new IdReader(type) : null;
            }
        });
    }

    private static final class IdWriter extends StdSerializer<ConfigEnum> {
        IdWriter() {
            super(ConfigEnum.class);
        }

        @Override
        public void serialize(ConfigEnum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.id());
        }
    }

    private static final class IdReader extends StdScalarDeserializer<Object> {
        IdReader(Class<?> type) {
            super(type);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return ctxt.handleUnexpectedToken(handledType(), p);
            }
            String text = p.getText();
            ConfigEnum e = ConfigEnum.find(handledType(), text);
            return e != null ? e : ctxt.handleWeirdStringValue(handledType(), text, "%s",
                    ConfigEnum.unknown(handledType(), text));
        }
    }
}
