package io.kvmtune.core.libvirt;

import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.plan.GuestCpu;
import io.kvmtune.core.plan.RealtimePlan;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.plan.VcpuPlacement;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The libvirt domain XML that expresses a {@link TuningPlan}, element by element, as Nova's
 * libvirt driver writes it: {@code <cputune>}, {@code <memoryBacking>} and {@code <numatune>}
 * ({@link MemoryBackingXml}), {@code <clock>} and {@code <cpu>}.
 *
 * <p>Each builder returns a DOM element owned by the given document, so code that patches a
 * whole domain can import them in place; {@link #render} prints all of them for people. Output
 * is deterministic: the same plan always gives the same text.
 */
public final class PlanXml {

    private static final SortedSet<Integer> FIRST_IO_THREAD = Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(1)));

    private PlanXml() {
    }

    /**
     * {@code <cputune>}: a {@code vcpupin} per vCPU (its dedicated pCPU, or the CPUs it floats
     * on), {@code emulatorpin}, an {@code iothreadpin} on the emulator set for each of
     * {@code ioThreadIds} (Nova 33.0.0+ pins IO thread 1 so; the domain must declare each id), and
     * one {@code vcpusched} for the realtime vCPUs.
     */
    public static Element cputune(Document doc, TuningPlan plan, SortedSet<Integer> ioThreadIds) {
        Element cputune = doc.createElement("cputune");
        for (VcpuPlacement v : plan.vcpus()) {
            Element pin = child(cputune, "vcpupin");
            pin.setAttribute("vcpu", Integer.toString(v.vcpu()));
            pin.setAttribute("cpuset", v.pcpus().format());
        }
        String emulator = plan.emulator().pcpus().format();
        child(cputune, "emulatorpin").setAttribute("cpuset", emulator);
        for (int id : ioThreadIds) {
            Element iothread = child(cputune, "iothreadpin");
            iothread.setAttribute("iothread", Integer.toString(id));
            iothread.setAttribute("cpuset", emulator);
        }
        if (plan.realtime().isPresent()) {
            RealtimePlan rt = plan.realtime().get();
            Element sched = child(cputune, "vcpusched");
            sched.setAttribute("vcpus", rt.vcpus().format());
            sched.setAttribute("scheduler", rt.policy().label());
            sched.setAttribute("priority", Integer.toString(rt.priority()));
        }
        return cputune;
    }

    /**
     * {@code <clock offset="utc">} ({@code localtime} for Windows guests) with Nova's kvm timers:
     * {@code pit} delay, {@code rtc} catchup, for x86 guests ({@link TuningPlan#hpet()} present)
     * {@code hpet present="yes|no"}, and for Windows guests {@code hypervclock present="yes"}.
     * Other virt types get no timers.
     *
     * @param virtType {@code [libvirt] virt_type} of the host the plan was made for
     */
    public static Element clock(Document doc, TuningPlan plan, String virtType) {
        Element clock = doc.createElement("clock");
        clock.setAttribute("offset", plan.clock().offset());
        if (virtType.equals("kvm")) {
            timer(clock, "pit").setAttribute("tickpolicy", "delay");
            timer(clock, "rtc").setAttribute("tickpolicy", "catchup");
            plan.hpet().ifPresent(present -> timer(clock, "hpet").setAttribute("present", present ? "yes" : "no"));
            if (plan.clock().hypervClock()) {
                timer(clock, "hypervclock").setAttribute("present", "yes");
            }
        }
        return clock;
    }

    /**
     * {@code <cpu match="exact">} with the mode, the model and the features sorted by name, or
     * empty when the plan has no CPU element.
     */
    public static Optional<Element> cpu(Document doc, TuningPlan plan) {
        if (plan.cpu().isEmpty()) {
            return Optional.empty();
        }
        GuestCpu guestCpu = plan.cpu().get();
        Element cpu = doc.createElement("cpu");
        if (guestCpu.mode() != null) {
            cpu.setAttribute("mode", guestCpu.mode());
        }
        cpu.setAttribute("match", "exact");
        if (guestCpu.model() != null) {
            child(cpu, "model").setTextContent(guestCpu.model());
        }
        for (CpuFeature f : guestCpu.features()) {
            Element feature = child(cpu, "feature");
            feature.setAttribute("policy", f.policy());
            feature.setAttribute("name", f.name());
        }
        return Optional.of(cpu);
    }

    /**
     * {@code <iothreads>1</iothreads>}: the IO thread that the fragments pin, declared, so that
     * they define when pasted into a domain without IO threads (libvirt refuses an
     * {@code iothreadpin} of an undeclared IO thread: "Cannot find 'iothread' : 1").
     */
    public static Element iothreads(Document doc) {
        Element iothreads = doc.createElement("iothreads");
        iothreads.setTextContent(Integer.toString(FIRST_IO_THREAD.first()));
        return iothreads;
    }

    /**
     * Every fragment of the plan for a domain without IO threads, in domain order, each a
     * well-formed element: {@link #iothreads} declares IO thread 1 and {@code <cputune>} pins it.
     */
    public static List<Element> fragments(Document doc, TuningPlan plan, String virtType) {
        List<Element> out = new ArrayList<>(6);
        out.add(iothreads(doc));
        out.addAll(fragments(doc, plan, virtType, FIRST_IO_THREAD));
        return out;
    }

    /**
     * Every fragment of the plan for a domain that declares the IO threads {@code ioThreadIds}
     * itself, in domain order: {@code <cputune>} pins exactly those.
     */
    public static List<Element> fragments(Document doc, TuningPlan plan, String virtType,
            SortedSet<Integer> ioThreadIds) {
        List<Element> out = new ArrayList<>(5);
        out.add(cputune(doc, plan, ioThreadIds));
        MemoryBackingXml.memoryBacking(doc, plan).ifPresent(out::add);
        MemoryBackingXml.numatune(doc, plan).ifPresent(out::add);
        out.add(clock(doc, plan, virtType));
        cpu(doc, plan).ifPresent(out::add);
        return out;
    }

    /** The fragments as indented text, one after another (not one document: there is no common root). */
    public static String render(TuningPlan plan, String virtType) {
        Document doc = newDocument();
        StringBuilder out = new StringBuilder(1024);
        for (Element e : fragments(doc, plan, virtType)) {
            out.append(toXml(e));
        }
        return out.toString();
    }

    /** One element as indented text ending in a newline, without an XML declaration. */
    public static String toXml(Element element) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(element), new StreamResult(out));
            String text = out.toString().strip();
            return text + "\n";
        } catch (TransformerException e) {
            throw new IllegalStateException("the JDK's XML serializer failed on a plain element", e);
        }
    }

    /** An empty document to build fragments in. */
    public static Document newDocument() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK has no DOM builder", e);
        }
    }

    private static Element timer(Element clock, String name) {
        Element timer = child(clock, "timer");
        timer.setAttribute("name", name);
        return timer;
    }

    static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElement(name);
        parent.appendChild(e);
        return e;
    }
}
