package io.tributary.common;

import java.util.Arrays;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query parameters name enums the way JSON bodies do ({@code ?status=active}), not by Java
 * constant.
 */
@Configuration(proxyBeanMethods = false)
class EnumConverters implements WebMvcConfigurer {

  @Override
  public void addFormatters(FormatterRegistry registry) {
    registry.addConverterFactory(new JsonNamedEnums());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class JsonNamedEnums implements ConverterFactory<String, Enum> {
    @Override
    public <T extends Enum> Converter<String, T> getConverter(Class<T> type) {
      return value ->
          (T)
              Arrays.stream(type.getEnumConstants())
                  .filter(constant -> Naming.jsonValue(constant).equals(value.trim()))
                  .findFirst()
                  .orElseThrow(
                      () -> new IllegalArgumentException("not a valid " + type.getSimpleName()));
    }
  }
}
