package io.tributary;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * The dependency rules of the code base, checked on the compiled classes of the server and of the
 * modules it runs (protocol, connector-api, connectors, engine), so a back-edge fails the build
 * instead of waiting for a review.
 *
 * <p>The server is packaged by feature ({@code io.tributary.<feature>}). Features may depend on one
 * another only one way; where a lower feature needs something done by a higher one it declares a
 * small interface that the higher one implements ({@code auth.TokenVerifier}, {@code
 * workspace.WorkspaceContents}, {@code source.NewSourceCatalog}). {@code common} is below every
 * feature, and HTTP stays in the web layer.
 */
@AnalyzeClasses(packages = "io.tributary", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The data plane's modules: no framework, and only the dependencies their poms declare. */
  private static final String[] MODULES = {
    "io.tributary.protocol..",
    "io.tributary.connector..",
    "io.tributary.connectors..",
    "io.tributary.engine.."
  };

  @ArchTest
  static final ArchRule featurePackagesHaveNoCycles =
      slices()
          .matching("io.tributary.(*)..")
          .as("the server's feature packages (and the modules)")
          .should()
          .beFreeOfCycles();

  @ArchTest
  static final ArchRule commonDependsOnNoFeature =
      noClasses()
          .that()
          .resideInAnyPackage("io.tributary.common..", "io.tributary.settings..")
          .should()
          .dependOnClassesThat(feature())
          .because(
              "common and settings are below every feature: shared errors, paging, web plumbing and the instance's settings");

  /**
   * The slices above do not see the root package, so it gets rules of its own: it holds only the
   * Spring Boot application, which depends on nothing of Tributary's, and only the command line
   * starts it.
   */
  @ArchTest
  static final ArchRule theApplicationClassDependsOnNoFeature =
      noClasses()
          .that()
          .resideInAPackage("io.tributary")
          .should()
          .dependOnClassesThat(tributaryOutside("io.tributary"));

  @ArchTest
  static final ArchRule onlyTheCommandLineStartsTheApplication =
      noClasses()
          .that(tributaryOutside("io.tributary", "io.tributary.cli.."))
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.tributary")
          .because("features reach the instance's settings in settings, never through the root");

  @ArchTest
  static final ArchRule controllersAreNamedSo =
      classes().that(controller()).should().haveSimpleNameEndingWith("Controller");

  @ArchTest
  static final ArchRule onlyControllersAreNamedSo =
      classes()
          .that()
          .haveSimpleNameEndingWith("Controller")
          .and()
          .resideInAPackage("io.tributary..")
          .should()
          .beMetaAnnotatedWith(Controller.class);

  @ArchTest
  static final ArchRule nothingDependsOnControllers =
      noClasses()
          .that(not(inWebLayer()))
          .should()
          .dependOnClassesThat(controllerOrInside())
          .because(
              "controllers are the outermost layer: services return their own values and controllers shape the response");

  @ArchTest
  static final ArchRule httpStaysInTheWebLayer =
      noClasses()
          .that()
          .resideInAPackage("io.tributary..")
          .and(not(inWebLayer()))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework.http..", "jakarta.servlet..")
          .because(
              "only controllers, the exception handler, filters and interceptors speak HTTP; the rest speaks in domain terms");

  @ArchTest
  static final ArchRule modulesAreFreeOfSpring =
      noClasses()
          .that()
          .resideInAnyPackage(MODULES)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.springframework..")
          .because("the data plane runs without a framework (STYLE.md)");

  @ArchTest
  static final ArchRule protocolDependsOnNoOtherModule =
      noClasses()
          .that()
          .resideInAPackage("io.tributary.protocol..")
          .should()
          .dependOnClassesThat(tributaryOutside("io.tributary.protocol.."));

  @ArchTest
  static final ArchRule connectorApiDependsOnlyOnProtocol =
      noClasses()
          .that()
          .resideInAPackage("io.tributary.connector..")
          .should()
          .dependOnClassesThat(
              tributaryOutside("io.tributary.connector..", "io.tributary.protocol.."));

  @ArchTest
  static final ArchRule connectorsDependOnlyOnTheApi =
      noClasses()
          .that()
          .resideInAPackage("io.tributary.connectors..")
          .should()
          .dependOnClassesThat(
              tributaryOutside(
                  "io.tributary.connectors..",
                  "io.tributary.connector..",
                  "io.tributary.protocol.."))
          .because("connectors know the SPI, not the engine that runs them nor the server");

  @ArchTest
  static final ArchRule engineDependsOnlyOnTheApi =
      noClasses()
          .that()
          .resideInAPackage("io.tributary.engine..")
          .should()
          .dependOnClassesThat(
              tributaryOutside(
                  "io.tributary.engine..", "io.tributary.connector..", "io.tributary.protocol.."))
          .because("the engine runs any Source and Destination through the SPI, built-in or not");

  /**
   * A server feature package: anything under io.tributary but the root (configuration), common and
   * the modules.
   */
  private static DescribedPredicate<JavaClass> feature() {
    return tributaryOutside(
            "io.tributary",
            "io.tributary.common..",
            "io.tributary.settings..",
            "io.tributary.protocol..",
            "io.tributary.connector..",
            "io.tributary.connectors..",
            "io.tributary.engine..")
        .as("a feature package");
  }

  private static DescribedPredicate<JavaClass> tributaryOutside(String... packages) {
    return resideInAPackage("io.tributary..")
        .and(not(resideInAnyPackage(packages)))
        .as("Tributary classes outside " + String.join(", ", packages));
  }

  private static DescribedPredicate<JavaClass> controller() {
    return DescribedPredicate.describe(
        "controllers", javaClass -> javaClass.isMetaAnnotatedWith(Controller.class));
  }

  private static DescribedPredicate<JavaClass> controllerOrInside() {
    return DescribedPredicate.describe(
        "controllers and their nested types",
        javaClass -> outermost(javaClass).isMetaAnnotatedWith(Controller.class));
  }

  /**
   * Controllers, the exception handler and other controller advice, filters, interceptors, argument
   * resolvers, MVC and container configuration, with the classes nested in them.
   */
  private static DescribedPredicate<JavaClass> inWebLayer() {
    DescribedPredicate<JavaClass> web =
        controller()
            .or(
                DescribedPredicate.describe(
                    "controller advice",
                    javaClass -> javaClass.isMetaAnnotatedWith(ControllerAdvice.class)))
            .or(assignableTo("jakarta.servlet.Filter"))
            .or(assignableTo("org.springframework.web.servlet.HandlerInterceptor"))
            .or(
                assignableTo(
                    "org.springframework.web.method.support.HandlerMethodArgumentResolver"))
            .or(assignableTo("org.springframework.web.servlet.config.annotation.WebMvcConfigurer"))
            .or(assignableTo("org.apache.catalina.Valve"));
    return DescribedPredicate.describe(
        "the web layer", javaClass -> web.test(outermost(javaClass)));
  }

  private static JavaClass outermost(JavaClass javaClass) {
    Optional<JavaClass> enclosing = javaClass.getEnclosingClass();
    return enclosing.isPresent() ? outermost(enclosing.get()) : javaClass;
  }
}
