package org.histodraw.enginejs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.colour.UncertaintyRamp;
import org.histodraw.engine.geojson.Json;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSExport;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The engine's JavaScript API, the module TeaVM compiles (histodraw-engine.js). Results live in
 * the engine under an integer handle until {@link #release}: the page keeps the handle of the
 * current segmentation and asks for the class map, the uncertainty, the model file or the
 * regions when it needs them. Errors reach JavaScript as an Error whose message names the problem.
 *
 * <pre>
 * const h = segment(rgba, w, h, regionsGeoJson, originX, originY, scale, '', 42);
 * classMap(h); uncertainty(h); classesJson(h); modelFile(h); regionsGeoJson(h, 64, 1); release(h);
 * </pre>
 */
public final class BrowserEngine {
    private static final Map<Integer, BrowserSegmentation> RESULTS = new HashMap<>();
    private static final Map<Integer, SegmentationModel> MODELS = new HashMap<>();
    private static int nextHandle = 1;

    private BrowserEngine() {
    }

    /**
     * Trains on the regions (slide pixels) over the RGBA pixels of a view and classifies the view.
     *
     * @param originX slide x of the view's pixel (0, 0); likewise originY
     * @param scale   slide pixels per view pixel
     * @param settings feature settings text ("" for the defaults)
     * @return the handle of the result
     */
    @JSExport
    public static int segment(Int8Array rgba, int width, int height, String regionsGeoJson,
                              double originX, double originY, double scale, String settings, double seed) {
        try {
            BrowserSegmentation result = BrowserSegmenter.segment(
                    BrowserSegmenter.rgbaToRaster(rgba.copyToJavaArray(), width, height),
                    new ViewFrame(originX, originY, scale), regionsGeoJson, settings, (long) seed);
            return keep(result);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** Reads an .hdm model file; returns the handle of the model. */
    @JSExport
    public static int loadModel(Int8Array file) {
        try {
            SegmentationModel model = ModelCodec.read(file.copyToJavaArray());
            int handle = nextHandle++;
            MODELS.put(handle, model);
            return handle;
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** Applies a loaded model to the RGBA pixels of a view; returns the handle of the result. */
    @JSExport
    public static int predict(int modelHandle, Int8Array rgba, int width, int height, double originX, double originY, double scale) {
        try {
            SegmentationModel model = MODELS.get(modelHandle);
            if (model == null) {
                throw new IllegalArgumentException("no model with handle " + modelHandle);
            }
            return keep(BrowserSegmentation.predict(model, BrowserSegmenter.rgbaToRaster(rgba.copyToJavaArray(), width, height),
                    new ViewFrame(originX, originY, scale)));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** One byte per pixel, the class index (1-based, as in {@link #classesJson}). */
    @JSExport
    public static Int8Array classMap(int handle) {
        return Int8Array.copyFromJavaArray(result(handle).classes().data());
    }

    /** One byte per pixel, 0 (all trees agree) .. 255 (two classes tie), read as unsigned. */
    @JSExport
    public static Int8Array uncertainty(int handle) {
        return Int8Array.copyFromJavaArray(result(handle).uncertainty());
    }

    /**
     * The uncertainty as RGBA pixels (4 bytes a pixel) in the colours of {@link UncertaintyRamp}, the
     * ramp the segmentation service paints its preview with, so both look the same with one legend.
     */
    @JSExport
    public static Int8Array uncertaintyPicture(int handle) {
        byte[] uncertainty = result(handle).uncertainty();
        byte[] rgba = new byte[uncertainty.length * 4];
        for (int i = 0; i < uncertainty.length; i++) {
            int argb = UncertaintyRamp.argb((uncertainty[i] & 0xff) / 255f);
            rgba[4 * i] = (byte) (argb >> 16);
            rgba[4 * i + 1] = (byte) (argb >> 8);
            rgba[4 * i + 2] = (byte) argb;
            rgba[4 * i + 3] = (byte) (argb >>> 24);
        }
        return Int8Array.copyFromJavaArray(rgba);
    }

    /** The ramp's stops as CSS colours, for the legend: ["#0d0887", ...]. */
    @JSExport
    public static String uncertaintyRampCss() {
        StringBuilder json = new StringBuilder("[");
        for (String colour : UncertaintyRamp.css()) {
            json.append(json.length() == 1 ? "" : ",").append('"').append(colour).append('"');
        }
        return json.append(']').toString();
    }

    /** The classes of the result's model: [{"index":1,"name":"Tumour","color":"#e6194b"}, ...]. */
    @JSExport
    public static String classesJson(int handle) {
        List<Map<String, Object>> classes = new ArrayList<>();
        for (ImageClass c : result(handle).model().classes().classes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", c.index());
            m.put("name", c.name());
            m.put("color", "#" + String.format("%06x", c.rgb()));
            classes.add(m);
        }
        return Json.write(classes);
    }

    /** The content id of the result's model (the same model always has the same id). */
    @JSExport
    public static String modelId(int handle) {
        return result(handle).model().id();
    }

    /** The feature settings of the result's model, in their text form. */
    @JSExport
    public static String modelSettings(int handle) {
        return result(handle).model().features().toText();
    }

    /** Labelled pixels the forest was trained on (0 for a loaded model). */
    @JSExport
    public static int trainingPixels(int handle) {
        return result(handle).trainingPixels();
    }

    /** The .hdm model file, the format the segmentation service and the CLI read. */
    @JSExport
    public static Int8Array modelFile(int handle) {
        return Int8Array.copyFromJavaArray(result(handle).modelFile());
    }

    /** The class map as GeoJSON regions in slide pixels (see {@link BrowserSegmentation#regionsGeoJson}). */
    @JSExport
    public static String regionsGeoJson(int handle, double minimumArea, double tolerance) {
        try {
            return result(handle).regionsGeoJson(minimumArea, tolerance);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** Forgets a result or a model. */
    @JSExport
    public static void release(int handle) {
        RESULTS.remove(handle);
        MODELS.remove(handle);
    }

    /** The whole JVM-comparison run of {@link EngineRun} (RGB and labels Base64). */
    @JSExport
    public static String engineRun(String rgbBase64, String width, String height, String labelsBase64) {
        return EngineRun.run(new String[] {rgbBase64, width, height, labelsBase64});
    }

    /** The {@link ArithmeticFingerprint} of this build (compared with the JVM's by the tests). */
    @JSExport
    public static String arithmeticFingerprint() {
        return ArithmeticFingerprint.compute();
    }

    private static int keep(BrowserSegmentation result) {
        int handle = nextHandle++;
        RESULTS.put(handle, result);
        return handle;
    }

    private static BrowserSegmentation result(int handle) {
        BrowserSegmentation result = RESULTS.get(handle);
        if (result == null) {
            throw fail(new IllegalArgumentException("no segmentation with handle " + handle));
        }
        return result;
    }

    private static RuntimeException fail(RuntimeException e) {
        throwError(e.getMessage() == null ? e.toString() : e.getMessage());
        return e;
    }

    @JSBody(params = "message", script = "throw new Error(message);")
    private static native void throwError(String message);
}
