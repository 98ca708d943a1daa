package org.histodraw.slides.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path folder;

    @Test
    void cellsWithCommasQuotesOrLineBreaksAreQuotedAndOthersWrittenAsTheyAre() {
        assertThat(CsvTable.cell("plain text")).isEqualTo("plain text");
        assertThat(CsvTable.cell("")).isEmpty();
        assertThat(CsvTable.cell("Tumour, invasive")).isEqualTo("\"Tumour, invasive\"");
        assertThat(CsvTable.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvTable.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvTable.cell("carriage\rreturn")).isEqualTo("\"carriage\rreturn\"");
        assertThat(CsvTable.cell("µm² ü")).isEqualTo("µm² ü");
    }

    @Test
    void aTableIsItsHeaderAndRowsOneLineEach() {
        CsvTable table = new CsvTable(List.of("image", "class, name")).row(List.of("01.png", "Nucleus")).row(List.of("0\r2", ""));
        assertThat(table.text()).isEqualTo("image,\"class, name\"\n01.png,Nucleus\n\"0\r2\",\n");
    }

    @Test
    void aRowOfAnotherWidthIsRefused() {
        CsvTable table = new CsvTable(List.of("a", "b"));
        assertThatThrownBy(() -> table.row(List.of("1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells in a table of 2 columns");
        assertThatThrownBy(() -> new CsvTable(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writingReplacesTheFileWholeAndLeavesNoPartFile() throws IOException {
        Path file = folder.resolve("new folder/table.csv");
        new CsvTable(List.of("a")).row(List.of("1")).write(file);
        new CsvTable(List.of("a")).row(List.of("2")).write(file);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("a\n2\n");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFileThatCannotBeWrittenFailsWithItsName() throws IOException {
        Path blocker = Files.writeString(folder.resolve("not-a-folder"), "x");
        Path file = blocker.resolve("table.csv");
        assertThatThrownBy(() -> new CsvTable(List.of("a")).write(file)).hasMessageContaining("cannot write " + file);
    }
}
