package io.tributary.connectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The connectors' own package graph runs one way: {@code BuiltInConnectors} (the module's root)
 * uses the connectors, the connectors use the shared packages ({@code files}, {@code jdbc}, {@code
 * egress}, {@code config}), and nothing leads back.
 */
@AnalyzeClasses(
    packages = "io.tributary.connectors",
    importOptions = ImportOption.DoNotIncludeTests.class)
class PackageGraphTest {

  private static final String ROOT = "io.tributary.connectors";

  /**
   * One slice per package directly under the root, and the root itself (which the usual pattern
   * leaves out).
   */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          String name = javaClass.getPackageName();
          if (name.equals(ROOT)) {
            return SliceIdentifier.of("(root)");
          }
          if (name.startsWith(ROOT + ".")) {
            return SliceIdentifier.of(name.substring(ROOT.length() + 1).split("\\.")[0]);
          }
          return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the connectors' packages";
        }
      };

  @ArchTest
  static final ArchRule packagesHaveNoCycles =
      slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

  @ArchTest
  static final ArchRule sharedFilesUseNoConnector =
      noClasses()
          .that()
          .resideInAPackage(ROOT + ".files..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              ROOT + ".duckdb..", ROOT + ".s3..", ROOT + ".localfiles..", ROOT + ".filesource..")
          .because(
              "the file formats and the local root are shared by the file connectors, independent of any one of them");
}
